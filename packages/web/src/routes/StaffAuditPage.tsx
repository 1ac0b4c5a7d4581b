import { Button, Card, Group, SimpleGrid, TextInput } from '@mantine/core';
import { IconDownload } from '@tabler/icons-react';
import { useState } from 'react';
import { PageHeader } from '../features/common/PageHeader';
import { AuditTable } from '../features/console/AuditTable';
import { exportHref, setCriteria } from '../features/console/exports';
import { StaffOnly } from '../features/console/StaffOnly';
import type { StaffAuditFilter } from '../gql/graphql';

interface Form {
  actorId: string;
  organizationId: string;
  appId: string;
  action: string;
  from: string;
  to: string;
}

const EMPTY: Form = { actorId: '', organizationId: '', appId: '', action: '', from: '', to: '' };

function filterOf(form: Form): StaffAuditFilter {
  return setCriteria({
    actorId: form.actorId.trim(),
    organizationId: form.organizationId.trim(),
    appId: form.appId.trim(),
    action: form.action.trim(),
    from: form.from ? new Date(form.from).toISOString() : null,
    to: form.to ? new Date(form.to).toISOString() : null,
  });
}

export function StaffAuditPage() {
  return (
    <StaffOnly>
      <AuditSearch />
    </StaffOnly>
  );
}

function AuditSearch() {
  const [form, setForm] = useState<Form>(EMPTY);
  const [filter, setFilter] = useState<StaffAuditFilter>({});
  const field = (key: keyof Form) => ({
    value: form[key],
    onChange: (e: React.ChangeEvent<HTMLInputElement>) =>
      setForm({ ...form, [key]: e.currentTarget.value }),
  });
  return (
    <>
      <PageHeader
        title="Audit log"
        description="Every recorded action of the portal, newest first. The database refuses to change or delete an entry."
        actions={
          <Button
            component="a"
            href={exportHref('audit-log', 'csv', filter)}
            variant="default"
            leftSection={<IconDownload size={16} />}
          >
            Export CSV
          </Button>
        }
      />
      <Card padding="md" mb="md">
        <form
          onSubmit={(event) => {
            event.preventDefault();
            setFilter(filterOf(form));
          }}
        >
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <TextInput label="Actor (user id)" placeholder="usr_…" {...field('actorId')} />
            <TextInput label="Organization id" placeholder="org_…" {...field('organizationId')} />
            <TextInput label="App id" placeholder="app_…" {...field('appId')} />
            <TextInput
              label="Action"
              placeholder="app.suspend, or a prefix: bulk_run."
              {...field('action')}
            />
            <TextInput label="From" type="datetime-local" {...field('from')} />
            <TextInput label="Before" type="datetime-local" {...field('to')} />
          </SimpleGrid>
          <Group justify="flex-end" mt="md">
            <Button
              variant="default"
              onClick={() => {
                setForm(EMPTY);
                setFilter({});
              }}
            >
              Clear
            </Button>
            <Button type="submit">Search</Button>
          </Group>
        </form>
      </Card>
      <AuditTable filter={filter} />
    </>
  );
}
