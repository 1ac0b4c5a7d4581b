import { useMutation, useQuery } from '@apollo/client/react';
import { Box, Button, Divider, Group, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { AppModal } from '../common/AppModal';
import { FormAlert, QueryError } from '../common/states';
import { errorMessage } from '../forms/serverErrors';
import { useServerErrors } from '../forms/useServerErrors';
import {
  CreateReasonTemplateMutation,
  DeleteReasonTemplateMutation,
  ReasonTemplatesQuery,
} from './staff.operations';

interface ReasonTemplatesModalProps {
  opened: boolean;
  onClose: () => void;
}

/** Staff manage the reusable reasons offered when deciding: list, add, delete. */
export function ReasonTemplatesModal({ opened, onClose }: ReasonTemplatesModalProps) {
  return (
    <AppModal
      opened={opened}
      onClose={onClose}
      size="lg"
      title={<Text fw={600}>Reason templates</Text>}
    >
      {opened ? <ReasonTemplates /> : null}
    </AppModal>
  );
}

function ReasonTemplates() {
  const { data, error, refetch } = useQuery(ReasonTemplatesQuery, {
    fetchPolicy: 'cache-and-network',
  });
  const [deleting, setDeleting] = useState<string | null>(null);
  const [deleteTemplate] = useMutation(DeleteReasonTemplateMutation);
  const [createTemplate, creating] = useMutation(CreateReasonTemplateMutation);
  const form = useForm({
    initialValues: { title: '', text: '' },
    validate: {
      title: (value) => (value.trim() ? null : 'Give the template a title.'),
      text: (value) => (value.trim() ? null : 'Write the reason.'),
    },
  });
  const server = useServerErrors(form);
  const templates = data?.reasonTemplates ?? [];

  const remove = async (id: string) => {
    setDeleting(id);
    try {
      await deleteTemplate({
        variables: { input: { reasonTemplateId: id } },
        update: (cache) => {
          cache.evict({ id: cache.identify({ __typename: 'ReasonTemplate', id }) });
          cache.gc();
        },
      });
    } catch (cause) {
      notifications.show({
        color: 'red',
        title: 'Could not delete the template',
        message: errorMessage(cause),
      });
    } finally {
      setDeleting(null);
    }
  };

  const add = form.onSubmit(async (values) => {
    server.clear();
    try {
      await createTemplate({
        variables: { input: { title: values.title.trim(), text: values.text.trim() } },
        // The decision modal reads the same list (Query.reasonTemplates).
        refetchQueries: [ReasonTemplatesQuery],
        awaitRefetchQueries: true,
      });
      form.reset();
    } catch (cause) {
      server.apply(cause);
    }
  });

  return (
    <Stack gap="md">
      {error && !data ? (
        <QueryError
          error={error}
          title="Could not load the templates"
          onRetry={() => void refetch()}
        />
      ) : !data ? (
        <Text size="sm" c="dimmed">
          Loading…
        </Text>
      ) : templates.length === 0 ? (
        <Text size="sm" c="dimmed">
          No templates yet. Add one below to offer it when approving or rejecting.
        </Text>
      ) : (
        <Stack
          component="ul"
          gap="xs"
          m={0}
          p={0}
          style={{ listStyle: 'none' }}
          aria-label="Reason templates"
        >
          {templates.map((template) => (
            <Box
              component="li"
              key={template.id}
              aria-label={template.title}
              p="sm"
              style={{
                border: '1px solid var(--mantine-color-default-border)',
                borderRadius: 'var(--mantine-radius-md)',
              }}
            >
              <Group justify="space-between" align="flex-start" wrap="nowrap" gap="sm">
                <Box style={{ minWidth: 0 }}>
                  <Text size="sm" fw={600}>
                    {template.title}
                  </Text>
                  <Text size="sm" c="dimmed" style={{ whiteSpace: 'pre-wrap' }}>
                    {template.text}
                  </Text>
                </Box>
                <Button
                  size="xs"
                  variant="subtle"
                  color="red"
                  leftSection={<IconTrash size={14} />}
                  loading={deleting === template.id}
                  onClick={() => void remove(template.id)}
                  style={{ flexShrink: 0 }}
                >
                  Delete
                </Button>
              </Group>
            </Box>
          ))}
        </Stack>
      )}

      <Divider />

      <form onSubmit={add} noValidate>
        <Stack gap="sm">
          <FormAlert message={server.formError} />
          <TextInput label="Title" required maxLength={100} {...form.getInputProps('title')} />
          <Textarea
            label="Text"
            required
            autosize
            minRows={3}
            maxRows={8}
            maxLength={2000}
            {...form.getInputProps('text')}
          />
          <Group justify="flex-end">
            <Button type="submit" leftSection={<IconPlus size={16} />} loading={creating.loading}>
              Add template
            </Button>
          </Group>
        </Stack>
      </form>
    </Stack>
  );
}
