import { useQuery } from '@apollo/client/react';
import { Button, Card, Stack } from '@mantine/core';
import { IconPlus, IconRouter } from '@tabler/icons-react';
import { useState } from 'react';
import { useViewer } from '../features/accounts/viewer';
import { PageHeader } from '../features/common/PageHeader';
import { Empty, QueryError, TableSkeleton } from '../features/common/states';
import { ConnectGatewayCard } from '../features/gateways/ConnectGatewayCard';
import { GatewayTokensTable } from '../features/gateways/GatewayTokensTable';
import { GatewayTokensQuery } from '../features/gateways/gateways.operations';
import { NewGatewayTokenModal } from '../features/gateways/NewGatewayTokenModal';

export function StaffGatewaysPage() {
  const viewer = useViewer();
  if (viewer.platformRole !== 'STAFF') {
    return <Empty title="Staff only" description="Gateways are managed by the portal's staff." />;
  }
  return <StaffGateways />;
}

function StaffGateways() {
  const { data, error, refetch } = useQuery(GatewayTokensQuery, {
    fetchPolicy: 'cache-and-network',
  });
  const [creating, setCreating] = useState(false);
  const tokens = data?.gatewayTokens ?? [];
  const createButton = (
    <Button leftSection={<IconPlus size={16} />} onClick={() => setCreating(true)}>
      Create gateway token
    </Button>
  );
  return (
    <>
      <PageHeader
        title="Gateways"
        description="Tokens the API gateways use to report usage. Each token is shown once, when it is created."
        actions={tokens.length > 0 ? createButton : null}
      />
      <Stack gap="lg">
        {error && !data ? (
          <QueryError error={error} onRetry={() => void refetch()} />
        ) : !data ? (
          <Card padding="md">
            <TableSkeleton rows={3} />
          </Card>
        ) : tokens.length === 0 ? (
          <Empty
            icon={<IconRouter size={28} />}
            title="No gateway tokens yet"
            description="Create a token for each gateway that reports usage to Portico."
            actions={createButton}
          />
        ) : (
          <Card padding="sm">
            <GatewayTokensTable tokens={tokens} />
          </Card>
        )}
        <ConnectGatewayCard />
      </Stack>
      <NewGatewayTokenModal opened={creating} onClose={() => setCreating(false)} />
    </>
  );
}
