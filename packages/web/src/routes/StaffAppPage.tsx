import { Divider, Text, Title } from '@mantine/core';
import { useParams } from 'react-router';
import { AuditTable } from '../features/console/AuditTable';
import { StaffOnly } from '../features/console/StaffOnly';
import { AppPage } from './AppPage';

/** What the app's owner sees (the same page and components), then the app's history. */
export function StaffAppPage() {
  const { appId = '' } = useParams();
  return (
    <StaffOnly>
      <AppPage />
      <Divider my="xl" />
      <Title order={3} mb={4}>
        History
      </Title>
      <Text c="dimmed" size="sm" mb="md">
        Every audit entry about the app, its credentials and its requests, bulk runs included.
      </Text>
      <AuditTable filter={{ appId }} />
    </StaffOnly>
  );
}
