import { MantineProvider } from '@mantine/core';
import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { type IssuedSecret, SecretModal } from './SecretModal';

const issued: IssuedSecret = {
  kind: 'CONSUMER_KEY',
  publicId: 'pck_publicPublicPublicPublicPublic123456',
  secret: 'pcs_secretSecretSecretSecretSecret654321',
  reason: 'rotated',
  previous: { status: 'IN_GRACE', expiresAt: '2030-01-04T12:00:00Z' },
};

function renderModal(onDone: () => void) {
  return render(
    <MantineProvider env="test">
      <SecretModal issued={issued} onDone={onDone} />
    </MantineProvider>,
  );
}

describe('SecretModal', () => {
  it('shows the public id and the secret once, with the warning', () => {
    renderModal(() => undefined);
    expect(screen.getByRole('dialog')).toBeTruthy();
    expect(screen.getByText('Copy it now: you will not see this secret again')).toBeTruthy();
    expect(screen.getByRole('textbox', { name: 'API key' }).textContent).toBe(issued.publicId);
    expect(screen.getByRole('textbox', { name: 'API key secret' }).textContent).toBe(issued.secret);
    expect(screen.getByRole('button', { name: 'Copy API key secret' })).toBeTruthy();
    expect(screen.getByText(/The previous secret keeps working until/)).toBeTruthy();
  });

  it('closes only through its button, not on Escape', () => {
    const onDone = vi.fn();
    renderModal(onDone);
    fireEvent.keyDown(screen.getByRole('dialog'), { key: 'Escape' });
    expect(onDone).not.toHaveBeenCalled();
    expect(screen.queryByRole('button', { name: /close/i })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'I have copied it' }));
    expect(onDone).toHaveBeenCalledTimes(1);
  });
});
