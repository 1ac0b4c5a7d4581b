import { MantineProvider } from '@mantine/core';
import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { linkify } from './linkify';

describe('linkify', () => {
  it('turns links in mail text into anchors and keeps the rest', () => {
    const text = 'Verify: http://portico.test/verify-email?token=abc.\nThanks';
    render(
      <MantineProvider>
        <div data-testid="mail">{linkify(text)}</div>
      </MantineProvider>,
    );
    const link = screen.getByRole('link');
    expect(link.getAttribute('href')).toBe('http://portico.test/verify-email?token=abc.');
    expect(screen.getByTestId('mail').textContent).toBe(text);
  });
});
