import { useQuery } from '@apollo/client/react';
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Divider,
  Drawer,
  Group,
  List,
  SimpleGrid,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { IconCheck, IconCircleCheck, IconInfoCircle, IconX } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import type { ReviewItemFieldsFragment } from '../../gql/graphql';
import { AppStatusBadge } from '../apps/AppStatusBadge';
import { formatDateTime } from '../common/format';
import { QueryError, TableSkeleton } from '../common/states';
import { ApprovalModeBadge } from '../products/ApprovalModeBadge';
import { ruleLabel } from '../products/productFormat';
import { GrantsTable } from './AppProductsTab';
import type { Decision } from './DecisionModal';
import { ReviewGrantDetailQuery } from './grants.operations';
import { formatAge } from './reviewFormat';

type GrantItem = Extract<ReviewItemFieldsFragment, { __typename?: 'GrantReviewItem' }>;

interface ReviewItemDrawerProps {
  item: GrantItem | null;
  /** The item asked for is no longer in the queue (decided meanwhile). */
  missing: boolean;
  opened: boolean;
  onClose: () => void;
  onDecide: (decision: Decision) => void;
}

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text size="sm" component="div">
        {children}
      </Text>
    </div>
  );
}

/** A queued product request in detail: app, organization, owner, rules and history. */
export function ReviewItemDrawer({
  item,
  missing,
  opened,
  onClose,
  onDecide,
}: ReviewItemDrawerProps) {
  return (
    <Drawer
      opened={opened}
      onClose={onClose}
      position="right"
      size="xl"
      title={
        <Text fw={600}>{item ? `${item.product.name} for ${item.app.name}` : 'Review item'}</Text>
      }
    >
      {item ? (
        <Detail item={item} onDecide={onDecide} />
      ) : missing ? (
        <Alert color="teal" variant="light" icon={<IconCircleCheck size={18} />}>
          This item is no longer waiting: it was decided or withdrawn.
        </Alert>
      ) : (
        <TableSkeleton rows={4} />
      )}
    </Drawer>
  );
}

function Detail({ item, onDecide }: { item: GrantItem; onDecide: (decision: Decision) => void }) {
  const { data, error, refetch } = useQuery(ReviewGrantDetailQuery, {
    variables: { appId: item.app.id },
    fetchPolicy: 'cache-and-network',
  });
  const app = data?.app;
  const unmet = item.grant.unmetRules;
  return (
    <Stack gap="md">
      <Group gap="sm">
        <Button
          color="teal"
          leftSection={<IconCheck size={16} />}
          onClick={() => onDecide('APPROVE')}
        >
          Approve request
        </Button>
        <Button
          color="red"
          variant="light"
          leftSection={<IconX size={16} />}
          onClick={() => onDecide('REJECT')}
        >
          Reject request
        </Button>
        <Text size="sm" c="dimmed" ml="auto">
          Waiting {formatAge(item.ageSeconds)} · since {formatDateTime(item.createdAt)}
        </Text>
      </Group>
      <Divider />
      <Title order={4} size="h5">
        Rule outcome
      </Title>
      <Group gap="xs">
        <ApprovalModeBadge mode={item.product.approvalMode} />
      </Group>
      {item.product.approvalMode === 'CONDITIONAL' ? (
        unmet.length > 0 ? (
          <Alert
            color="orange"
            variant="light"
            icon={<IconInfoCircle size={18} />}
            title="Unmet rules"
          >
            <List size="sm">
              {unmet.map((rule) => (
                <List.Item key={rule}>{ruleLabel(rule)}</List.Item>
              ))}
            </List>
          </Alert>
        ) : (
          <Text size="sm">Every rule is met.</Text>
        )
      ) : (
        <Text size="sm" c="dimmed">
          {item.product.approvalMode === 'MANUAL'
            ? 'Every request for this product is reviewed by staff.'
            : 'This product approves automatically.'}
        </Text>
      )}
      <Divider />
      <Title order={4} size="h5">
        App
      </Title>
      {error && !data ? <QueryError error={error} onRetry={() => void refetch()} /> : null}
      <SimpleGrid cols={2} spacing="md">
        <Field label="App">
          <Group gap="xs">
            <Anchor component={Link} to={`/orgs/${item.organization.id}/apps/${item.app.id}`}>
              {item.app.name}
            </Anchor>
            {app ? <AppStatusBadge status={app.status} /> : null}
          </Group>
        </Field>
        <Field label="Organization">
          <Group gap="xs">
            <span>{item.organization.name}</span>
            {item.organization.verifiedAt ? (
              <Badge size="xs" variant="light" color="teal">
                Verified
              </Badge>
            ) : (
              <Badge size="xs" variant="light" color="gray">
                Not verified
              </Badge>
            )}
          </Group>
        </Field>
        <Field label="Owner">
          {item.owner.name} · {item.owner.email}
        </Field>
        <Field label="Project">{item.app.project?.name ?? 'Standalone app'}</Field>
        <Field label="Permission level">{item.app.permissionLevel}</Field>
        <Field label="Requested by">{item.grant.requestedBy?.name ?? '—'}</Field>
      </SimpleGrid>
      <Field label="Use case">{item.app.useCase || '—'}</Field>
      {app?.description ? <Field label="Description">{app.description}</Field> : null}
      <Divider />
      <Title order={4} size="h5">
        Requested products and history
      </Title>
      {app ? <GrantsTable grants={app.grants} /> : <TableSkeleton rows={2} />}
    </Stack>
  );
}
