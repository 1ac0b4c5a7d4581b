import { Badge, Stack, Text } from '@mantine/core';
import type { MailOutboxQuery } from '../../gql/graphql';
import { formatDateTime, formatRelative } from '../common/format';

type Mail = MailOutboxQuery['mailOutbox']['nodes'][number];
type DeliveryFields = Pick<Mail, 'status' | 'attempts' | 'nextAttemptAt' | 'sentAt' | 'lastError'>;

const COLORS: Record<Mail['status'], string> = {
  PENDING: 'yellow',
  SENT: 'teal',
  FAILED: 'red',
  KEPT: 'gray',
};

const LABELS: Record<Mail['status'], string> = {
  PENDING: 'Pending',
  SENT: 'Sent',
  FAILED: 'Failed',
  KEPT: 'Kept',
};

const attemptsText = (attempts: number): string =>
  `${attempts} attempt${attempts === 1 ? '' : 's'}`;

/** "next in 5 minutes", or "retrying shortly" when that is less than a minute away. */
function nextAttempt(at: string | null): string {
  if (!at || new Date(at).getTime() - Date.now() < 60_000) return 'retrying shortly';
  return `next ${formatRelative(at)}`;
}

/** What happened to the mail, in a word and a line: when it went, why it did not, what's next. */
function detail(mail: DeliveryFields): { text: string; title?: string } {
  switch (mail.status) {
    case 'SENT':
      return {
        text:
          mail.attempts > 1
            ? `${formatRelative(mail.sentAt)}, after ${attemptsText(mail.attempts)}`
            : formatRelative(mail.sentAt),
        title: formatDateTime(mail.sentAt),
      };
    case 'FAILED':
      return {
        text: `Gave up after ${attemptsText(mail.attempts)}`,
        title: mail.lastError ? `Last error: ${mail.lastError}` : undefined,
      };
    case 'PENDING':
      return mail.attempts === 0
        ? { text: 'Being sent' }
        : {
            text: `${attemptsText(mail.attempts)} failed; ${nextAttempt(mail.nextAttemptAt)}`,
            title: mail.lastError ? `Last error: ${mail.lastError}` : undefined,
          };
    case 'KEPT':
      return { text: 'No SMTP server configured' };
  }
}

/** The delivery state of an outbox mail: pending, sent, failed (with attempts) or kept. */
export function MailStatusBadge({ mail }: { mail: DeliveryFields }) {
  const { text, title } = detail(mail);
  return (
    <Stack gap={2} align="flex-start">
      <Badge
        color={COLORS[mail.status]}
        variant="light"
        size="sm"
        style={{ flexShrink: 0, overflow: 'visible' }}
      >
        {LABELS[mail.status]}
      </Badge>
      <Text size="xs" c="dimmed" title={title}>
        {text}
      </Text>
      {mail.lastError && mail.status !== 'SENT' ? (
        <Text size="xs" c="dimmed" ff="monospace">
          {mail.lastError}
        </Text>
      ) : null}
    </Stack>
  );
}
