import { Button, Card, Collapse, Group, Stack, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconPlus } from '@tabler/icons-react';
import { useId } from 'react';
import type { CredentialFieldsFragment } from '../../gql/graphql';
import type { KindCredentials, KindInfo } from './credentialDisplay';
import { type CredentialRowActions, CredentialsTable } from './CredentialsTable';
import { RotationCard } from './RotationCard';

interface CredentialSectionProps {
  info: KindInfo;
  credentials: KindCredentials;
  now: Date;
  /** What a manager may do; absent for a read-only view. */
  actions?: CredentialRowActions & {
    onCreate: () => void;
    creating: boolean;
    onEndGrace: (previous: CredentialFieldsFragment) => void;
  };
}

/** One kind of credential: what it is for, running rotations, live ones and past ones. */
export function CredentialSection({ info, credentials, now, actions }: CredentialSectionProps) {
  const titleId = useId();
  const pastId = useId();
  const [pastOpened, pastHandlers] = useDisclosure(false);
  const { live, past, rotations } = credentials;

  return (
    <Card component="section" padding="lg" aria-labelledby={titleId}>
      <Group justify="space-between" align="flex-start" mb="md" wrap="wrap" gap="sm">
        <div style={{ flex: 1, minWidth: 260 }}>
          <Title order={3} size="h4" id={titleId}>
            {info.title}
            <Text span c="dimmed" fw={400} size="sm" ml={8}>
              {info.subtitle}
            </Text>
          </Title>
          <Text size="sm" c="dimmed" mt={4}>
            {info.description}
          </Text>
        </div>
        {actions ? (
          <Button
            leftSection={<IconPlus size={16} />}
            variant="light"
            onClick={actions.onCreate}
            loading={actions.creating}
          >
            Create {info.singular}
          </Button>
        ) : null}
      </Group>

      <Stack gap="md">
        {rotations.map((rotation) => (
          <RotationCard
            key={rotation.previous.id}
            rotation={rotation}
            now={now}
            onEndGrace={actions?.onEndGrace}
          />
        ))}
        {live.length > 0 ? (
          <CredentialsTable info={info} credentials={live} now={now} actions={actions} />
        ) : (
          <Text size="sm" c="dimmed" ta="center" py="md">
            {past.length > 0 ? `No active ${info.plural}` : `No ${info.plural} yet`}
          </Text>
        )}
      </Stack>

      {past.length > 0 ? (
        <>
          <Button
            variant="subtle"
            size="xs"
            color="gray"
            mt="sm"
            style={{ alignSelf: 'flex-start' }}
            onClick={pastHandlers.toggle}
            aria-expanded={pastOpened}
            aria-controls={pastId}
          >
            {pastOpened ? 'Hide revoked or expired' : `Show ${past.length} revoked or expired`}
          </Button>
          <Collapse expanded={pastOpened} id={pastId}>
            <CredentialsTable info={info} credentials={past} now={now} actions={actions} />
          </Collapse>
        </>
      ) : null}
    </Card>
  );
}
