import { MantineProvider } from '@mantine/core';
import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { MailStatusBadge } from './MailStatusBadge';

const base = { attempts: 0, nextAttemptAt: null, sentAt: null, lastError: null };

function renderBadge(mail: Parameters<typeof MailStatusBadge>[0]['mail']) {
  return render(
    <MantineProvider>
      <div data-testid="badge">
        <MailStatusBadge mail={mail} />
      </div>
    </MantineProvider>,
  );
}

describe('MailStatusBadge', () => {
  it('shows a mail kept because no SMTP server is configured', () => {
    renderBadge({ ...base, status: 'KEPT' });
    expect(screen.getByTestId('badge').textContent).toBe('KeptNo SMTP server configured');
  });

  it('shows a failed mail with its attempts and last error', () => {
    renderBadge({ ...base, status: 'FAILED', attempts: 10, lastError: 'Error EMESSAGE 550' });
    expect(screen.getByTestId('badge').textContent).toBe(
      'FailedGave up after 10 attemptsError EMESSAGE 550',
    );
  });

  it('shows a pending mail being sent, or waiting for its next attempt', () => {
    const { unmount } = renderBadge({ ...base, status: 'PENDING' });
    expect(screen.getByTestId('badge').textContent).toBe('PendingBeing sent');
    unmount();
    const next = new Date(Date.now() + 5 * 60_000).toISOString();
    renderBadge({
      ...base,
      status: 'PENDING',
      attempts: 1,
      nextAttemptAt: next,
      lastError: 'Error ECONNECTION',
    });
    expect(screen.getByTestId('badge').textContent).toBe(
      'Pending1 attempt failed; next in 5 minutesError ECONNECTION',
    );
  });

  it('says a retry less than a minute away is coming shortly', () => {
    const next = new Date(Date.now() + 20_000).toISOString();
    renderBadge({ ...base, status: 'PENDING', attempts: 2, nextAttemptAt: next });
    expect(screen.getByTestId('badge').textContent).toBe(
      'Pending2 attempts failed; retrying shortly',
    );
  });

  it('shows when a mail was sent, and after how many attempts', () => {
    const sentAt = new Date(Date.now() - 2 * 3_600_000).toISOString();
    renderBadge({ ...base, status: 'SENT', attempts: 2, sentAt, lastError: 'Error EMESSAGE 451' });
    expect(screen.getByTestId('badge').textContent).toBe('Sent2 hours ago, after 2 attempts');
  });
});
