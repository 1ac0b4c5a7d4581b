import { Button, Group, Paper, SimpleGrid, Stack, Text, ThemeIcon } from '@mantine/core';
import { IconArrowsExchange } from '@tabler/icons-react';
import { useId } from 'react';
import type { CredentialFieldsFragment } from '../../gql/graphql';
import { formatDate, formatDateTime } from '../common/format';
import {
  credentialName,
  graceCountdown,
  kindInfo,
  maskedSecret,
  type Rotation,
} from './credentialDisplay';
import { LastUsed, PublicId } from './CredentialsTable';
import { CredentialStatusBadge } from './CredentialStatusBadge';

interface RotationCardProps {
  rotation: Rotation;
  now: Date;
  /** Ends the grace period; absent for those who may not manage the app. */
  onEndGrace?: (previous: CredentialFieldsFragment) => void;
}

/**
 * A rotation whose grace period runs: the old and the new credential side by side, each with
 * its last use, so one sees when traffic has moved and can end the grace period early.
 */
export function RotationCard({ rotation, now, onEndGrace }: RotationCardProps) {
  const { previous, next } = rotation;
  const info = kindInfo(previous.kind);
  const titleId = useId();
  const expiresAt = previous.expiresAt;
  return (
    <Paper
      component="section"
      aria-labelledby={titleId}
      withBorder
      p="md"
      radius="md"
      bg="var(--mantine-color-yellow-light)"
      style={{ borderColor: 'var(--mantine-color-yellow-outline)' }}
    >
      <Group justify="space-between" align="flex-start" mb="sm" wrap="nowrap" gap="sm">
        <Group gap="sm" align="flex-start" wrap="nowrap" style={{ flex: 1, minWidth: 0 }}>
          <ThemeIcon color="yellow" variant="light" size="lg" radius="md">
            <IconArrowsExchange size={18} />
          </ThemeIcon>
          <div>
            <Text fw={600} id={titleId}>
              Rotation of {credentialName(previous)}
            </Text>
            {expiresAt ? (
              <Text size="sm">
                <b>{graceCountdown(expiresAt, now)}</b>, on {formatDateTime(expiresAt)}. Until then
                both work; move your traffic to the new {info.singular}.
              </Text>
            ) : null}
          </div>
        </Group>
        {onEndGrace ? (
          <Button
            size="xs"
            color="orange"
            variant="light"
            style={{ flexShrink: 0 }}
            onClick={() => onEndGrace(previous)}
            aria-label={`End grace now for ${credentialName(previous)}`}
          >
            End grace now
          </Button>
        ) : null}
      </Group>
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
        <RotationSide title="Old (rotated out)" credential={previous} now={now} />
        {next ? (
          <RotationSide title="New" credential={next} now={now} />
        ) : (
          <Paper withBorder p="sm" radius="md">
            <Text size="sm" c="dimmed">
              The new credential is not available.
            </Text>
          </Paper>
        )}
      </SimpleGrid>
    </Paper>
  );
}

function RotationSide({
  title,
  credential,
  now,
}: {
  title: string;
  credential: CredentialFieldsFragment;
  now: Date;
}) {
  const info = kindInfo(credential.kind);
  return (
    <Paper
      withBorder
      p="sm"
      radius="md"
      role="group"
      aria-label={`${title}: ${credentialName(credential)}`}
    >
      <Group justify="space-between" align="flex-start" mb={6} wrap="nowrap">
        <Text size="xs" fw={700} tt="uppercase" c="dimmed">
          {title}
        </Text>
        <CredentialStatusBadge credential={credential} badgeOnly />
      </Group>
      <Stack gap={4}>
        {credential.publicId && info.publicIdLabel ? (
          <Group gap="xs" wrap="nowrap">
            <Text size="sm" c="dimmed" w={96}>
              {info.publicIdLabel}
            </Text>
            <PublicId value={credential.publicId} label={info.publicIdLabel} />
          </Group>
        ) : null}
        <Group gap="xs" wrap="nowrap">
          <Text size="sm" c="dimmed" w={96}>
            Secret
          </Text>
          <Text className="portico-mono">{maskedSecret(credential.kind, credential.lastFour)}</Text>
        </Group>
        <Group gap="xs" wrap="nowrap">
          <Text size="sm" c="dimmed" w={96}>
            Last used
          </Text>
          <LastUsed at={credential.lastUsedAt} now={now} />
        </Group>
        <Group gap="xs" wrap="nowrap">
          <Text size="sm" c="dimmed" w={96}>
            Created
          </Text>
          <Text size="sm" c="dimmed">
            {formatDate(credential.createdAt)}
          </Text>
        </Group>
      </Stack>
    </Paper>
  );
}
