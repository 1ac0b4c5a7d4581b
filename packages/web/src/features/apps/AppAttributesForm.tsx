import { useMutation } from '@apollo/client/react';
import { ActionIcon, Button, Group, Stack, Text, TextInput, Tooltip } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { FormAlert } from '../common/states';
import { useServerErrors } from '../forms/useServerErrors';
import { UpdateAppMutation } from './apps.operations';
import type { SettingsApp } from './types';

const MAX_ATTRIBUTES = 20;

interface AttributeRow {
  key: string;
  value: string;
}

export function AppAttributesForm({ app }: { app: SettingsApp }) {
  const [updateApp, { loading }] = useMutation(UpdateAppMutation);
  const form = useForm<{ attributes: AttributeRow[] }>({
    initialValues: { attributes: app.attributes.map(({ key, value }) => ({ key, value })) },
  });
  const server = useServerErrors(form);
  const readOnly = !app.viewerCanManage;
  const rows = form.getValues().attributes;
  const listError = form.errors.attributes;

  const submit = form.onSubmit(async (values) => {
    server.clear();
    try {
      await updateApp({
        variables: {
          input: {
            appId: app.id,
            attributes: values.attributes.map((row) => ({ key: row.key.trim(), value: row.value })),
          },
        },
      });
      form.resetDirty();
      notifications.show({
        color: 'teal',
        title: 'Changes saved',
        message: 'Custom attributes updated.',
      });
    } catch (error) {
      server.apply(error);
    }
  });

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        <Text size="sm" c="dimmed">
          Key/value pairs passed to gateways with every verified request, up to {MAX_ATTRIBUTES}.
          Keys use letters, digits, <code>_ . -</code>.
        </Text>
        <FormAlert message={server.formError} />
        {rows.length === 0 ? (
          <Text size="sm" c="dimmed" fs="italic">
            No custom attributes.
          </Text>
        ) : null}
        {rows.length > 0 ? (
          <Group gap="sm" wrap="nowrap" mb={-8}>
            <Text size="sm" fw={600} style={{ flex: '0 0 35%' }}>
              Key
            </Text>
            <Text size="sm" fw={600} style={{ flex: 1 }}>
              Value
            </Text>
            {readOnly ? null : <div style={{ width: 34 }} />}
          </Group>
        ) : null}
        {rows.map((_, index) => (
          <Group key={index} align="flex-start" wrap="nowrap" gap="sm">
            <TextInput
              aria-label={`Key ${index + 1}`}
              placeholder="key"
              classNames={{ input: 'portico-mono' }}
              style={{ flex: '0 0 35%' }}
              disabled={readOnly}
              {...form.getInputProps(`attributes.${index}.key`)}
            />
            <TextInput
              aria-label={`Value ${index + 1}`}
              placeholder="value"
              style={{ flex: 1 }}
              disabled={readOnly}
              {...form.getInputProps(`attributes.${index}.value`)}
            />
            {readOnly ? null : (
              <Tooltip label="Remove attribute">
                <ActionIcon
                  variant="subtle"
                  color="red"
                  size={34}
                  aria-label={`Remove attribute ${index + 1}`}
                  onClick={() => form.removeListItem('attributes', index)}
                >
                  <IconTrash size={16} />
                </ActionIcon>
              </Tooltip>
            )}
          </Group>
        ))}
        {typeof listError === 'string' ? (
          <Text size="sm" c="red">
            {listError}
          </Text>
        ) : null}
        {readOnly ? null : (
          <Group justify="space-between">
            <Button
              variant="default"
              leftSection={<IconPlus size={16} />}
              disabled={rows.length >= MAX_ATTRIBUTES}
              onClick={() => form.insertListItem('attributes', { key: '', value: '' })}
            >
              Add attribute
            </Button>
            <Button type="submit" loading={loading}>
              Save changes
            </Button>
          </Group>
        )}
      </Stack>
    </form>
  );
}
