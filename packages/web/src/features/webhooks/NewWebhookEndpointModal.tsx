import { useMutation } from '@apollo/client/react';
import { Checkbox, Code, Group, SimpleGrid, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import type { WebhookEventType } from '../../gql/graphql';
import { ShowOnceModal, ShownOnceToken } from '../common/ShowOnceModal';
import { FormActions } from '../forms/FormActions';
import { ServerForm } from '../forms/ServerForm';
import { useServerErrors } from '../forms/useServerErrors';
import { WEBHOOK_EVENT_GROUPS } from './eventTypes';
import { CreateWebhookEndpointMutation, WebhookEndpointsQuery } from './webhooks.operations';

/** How a receiver checks a delivery, shown with each new secret. */
export function SecretHint() {
  return (
    <>
      Each delivery carries <Code>webhook-id</Code>, <Code>webhook-timestamp</Code> and{' '}
      <Code>webhook-signature</Code> headers (Standard Webhooks). Verify them with this secret, for
      example with the <Code>standardwebhooks</Code> library.
    </>
  );
}

/** "Add endpoint": URL, description and events, then the signing secret, shown this once. */
export function NewWebhookEndpointModal({
  organizationId,
  opened,
  onClose,
}: {
  organizationId: string;
  opened: boolean;
  onClose: () => void;
}) {
  return (
    <ShowOnceModal
      opened={opened}
      onClose={onClose}
      formTitle="Add webhook endpoint"
      shownTitle="Your endpoint's signing secret"
      form={(onCreated, onCancel) => (
        <NewEndpointForm
          organizationId={organizationId}
          onCreated={onCreated}
          onCancel={onCancel}
        />
      )}
      shown={(secret, onDone) => (
        <ShownOnceToken
          token={secret}
          onDone={onDone}
          warning="Copy the signing secret now and store it with your receiver. You will not see it again; rotate it if it is lost."
          hint={<SecretHint />}
          label="Signing secret"
          testId="webhook-secret"
          copyLabel="Copy secret"
          copiedMessage="The signing secret is on your clipboard."
        />
      )}
    />
  );
}

function NewEndpointForm({
  organizationId,
  onCreated,
  onCancel,
}: {
  organizationId: string;
  onCreated: (secret: string) => void;
  onCancel: () => void;
}) {
  const [create, { loading }] = useMutation(CreateWebhookEndpointMutation, {
    refetchQueries: [WebhookEndpointsQuery],
  });
  const form = useForm<{ url: string; description: string; eventTypes: WebhookEventType[] }>({
    initialValues: { url: '', description: '', eventTypes: [] },
  });
  const server = useServerErrors(form);
  const submit = form.onSubmit(async (values) => {
    server.clear();
    try {
      const result = await create({
        variables: {
          input: {
            organizationId,
            url: values.url.trim(),
            description: values.description.trim(),
            eventTypes: values.eventTypes,
          },
        },
      });
      const secret = result.data?.createWebhookEndpoint.secret;
      if (secret) onCreated(secret);
    } catch (error) {
      server.apply(error);
    }
  });
  return (
    <ServerForm onSubmit={submit} error={server.formError}>
      <TextInput
        label="Endpoint URL"
        placeholder="https://example.com/webhooks/portico"
        description="Portico POSTs each event here. Use https://; the host must resolve to a public address."
        required
        maxLength={2048}
        data-autofocus
        {...form.getInputProps('url')}
      />
      <Textarea
        label="Description"
        placeholder="Provisioning service, production"
        autosize
        minRows={1}
        maxLength={500}
        {...form.getInputProps('description')}
      />
      <Checkbox.Group
        label="Events to send"
        description="Choose at least one. You can send a test event at any time."
        {...form.getInputProps('eventTypes')}
      >
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md" mt="xs">
          {WEBHOOK_EVENT_GROUPS.map((group) => (
            <Stack key={group.label} gap={6}>
              <Text size="xs" fw={700} tt="uppercase" c="dimmed">
                {group.label}
              </Text>
              {group.events.map((event) => (
                <Checkbox
                  key={event.type}
                  value={event.type}
                  label={
                    <Group gap={6} wrap="nowrap">
                      <Text size="sm" className="portico-mono">
                        {event.name}
                      </Text>
                    </Group>
                  }
                  description={event.description}
                />
              ))}
            </Stack>
          ))}
        </SimpleGrid>
      </Checkbox.Group>
      <FormActions submitLabel="Add endpoint" onCancel={onCancel} loading={loading} />
    </ServerForm>
  );
}
