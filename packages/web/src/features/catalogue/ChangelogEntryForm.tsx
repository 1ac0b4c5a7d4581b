import { Button, Group, Select, SimpleGrid, Textarea, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { ServerForm } from '../forms/ServerForm';
import { useServerErrors } from '../forms/useServerErrors';
import { dateInputToIso } from './catalogueFormat';

export const CHANGELOG_KINDS = ['NEW', 'CHANGED', 'DEPRECATED', 'REMOVED'] as const;
export type ChangelogKindValue = (typeof CHANGELOG_KINDS)[number];

export interface ChangelogEntryValues {
  kind: ChangelogKindValue;
  title: string;
  body: string;
  /** `METHOD path`, or '' for the whole product. */
  endpoint: string;
  /** yyyy-mm-dd from the date inputs, '' when not set. */
  deprecationAt: string;
  sunsetAt: string;
}

export interface ChangelogEntrySubmit {
  kind: ChangelogKindValue;
  title: string;
  body: string;
  endpointMethod: string | null;
  endpointPath: string | null;
  deprecationAt: string | null;
  sunsetAt: string | null;
}

const KIND_LABELS: Record<ChangelogKindValue, string> = {
  NEW: 'New',
  CHANGED: 'Changed',
  DEPRECATED: 'Deprecated',
  REMOVED: 'Removed',
};

interface ChangelogEntryFormProps {
  endpoints: readonly { method: string; path: string }[];
  /** Throws the server's error, which lands next to its field. */
  onSubmit: (entry: ChangelogEntrySubmit, publish: boolean) => Promise<void>;
}

/** A new changelog entry: kind, title, text, the endpoint it is about, deprecation and sunset. */
export function ChangelogEntryForm({ endpoints, onSubmit }: ChangelogEntryFormProps) {
  const form = useForm<ChangelogEntryValues>({
    mode: 'controlled',
    initialValues: {
      kind: 'NEW',
      title: '',
      body: '',
      endpoint: '',
      deprecationAt: '',
      sunsetAt: '',
    },
  });
  const server = useServerErrors(form, {
    endpointMethod: 'endpoint',
    endpointPath: 'endpoint',
  });
  const [busy, setBusy] = useState<'draft' | 'publish' | null>(null);
  const deprecation = form.getValues().kind === 'DEPRECATED';

  const submit = async (publish: boolean) => {
    server.clear();
    const values = form.getValues();
    const [method, ...path] = values.endpoint ? values.endpoint.split(' ') : [];
    setBusy(publish ? 'publish' : 'draft');
    try {
      await onSubmit(
        {
          kind: values.kind,
          title: values.title,
          body: values.body,
          endpointMethod: method ?? null,
          endpointPath: path.length > 0 ? path.join(' ') : null,
          deprecationAt: deprecation ? dateInputToIso(values.deprecationAt) : null,
          sunsetAt: deprecation ? dateInputToIso(values.sunsetAt) : null,
        },
        publish,
      );
      form.reset();
    } catch (error) {
      server.apply(error);
    } finally {
      setBusy(null);
    }
  };

  return (
    <ServerForm
      onSubmit={form.onSubmit(() => void submit(false))}
      error={server.formError}
      gap="sm"
    >
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <Select
          label="Kind"
          data={CHANGELOG_KINDS.map((kind) => ({ value: kind, label: KIND_LABELS[kind] }))}
          allowDeselect={false}
          {...form.getInputProps('kind')}
        />
        <Select
          label="Endpoint"
          placeholder="Whole product"
          clearable
          searchable
          data={endpoints.map((endpoint) => `${endpoint.method} ${endpoint.path}`)}
          {...form.getInputProps('endpoint')}
          value={form.getValues().endpoint || null}
          onChange={(value) => form.setFieldValue('endpoint', value ?? '')}
        />
      </SimpleGrid>
      <TextInput label="Title" required maxLength={200} {...form.getInputProps('title')} />
      <Textarea
        label="Text"
        description="Markdown."
        autosize
        minRows={3}
        maxRows={12}
        {...form.getInputProps('body')}
      />
      {deprecation ? (
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput
            type="date"
            label="Deprecated from"
            description="Today when left empty."
            {...form.getInputProps('deprecationAt')}
          />
          <TextInput
            type="date"
            label="Sunset"
            description="When it stops working; after the deprecation."
            {...form.getInputProps('sunsetAt')}
          />
        </SimpleGrid>
      ) : null}
      <Group justify="flex-end" gap="sm">
        <Button type="submit" variant="default" loading={busy === 'draft'} disabled={busy !== null}>
          Save draft
        </Button>
        <Button
          loading={busy === 'publish'}
          disabled={busy !== null}
          onClick={() => void submit(true)}
        >
          Publish
        </Button>
      </Group>
    </ServerForm>
  );
}
