import { useMutation } from '@apollo/client/react';
import { Alert, Button, Code, CopyButton, Group, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconCheck, IconCopy, IconShieldLock } from '@tabler/icons-react';
import { useState } from 'react';
import { AppModal } from '../common/AppModal';
import { FormActions } from '../forms/FormActions';
import { ServerForm } from '../forms/ServerForm';
import { useServerErrors } from '../forms/useServerErrors';
import { CreateGatewayTokenMutation, GatewayTokensQuery } from './gateways.operations';

/** "Create gateway token": a name, then the token, shown this once. */
export function NewGatewayTokenModal({
  opened,
  onClose,
}: {
  opened: boolean;
  onClose: () => void;
}) {
  const [token, setToken] = useState<string | null>(null);
  const close = () => {
    setToken(null);
    onClose();
  };
  return (
    <AppModal
      opened={opened}
      onClose={close}
      title={<Text fw={600}>{token ? 'Your new gateway token' : 'Create gateway token'}</Text>}
      size="lg"
      closeOnClickOutside={token === null}
    >
      {!opened ? null : token ? (
        <TokenCreated token={token} onDone={close} />
      ) : (
        <NewGatewayTokenForm onCreated={setToken} onCancel={close} />
      )}
    </AppModal>
  );
}

function NewGatewayTokenForm({
  onCreated,
  onCancel,
}: {
  onCreated: (token: string) => void;
  onCancel: () => void;
}) {
  const [create, { loading }] = useMutation(CreateGatewayTokenMutation, {
    refetchQueries: [GatewayTokensQuery],
  });
  const form = useForm({ initialValues: { name: '' } });
  const server = useServerErrors(form);
  const submit = form.onSubmit(async (values) => {
    server.clear();
    try {
      const result = await create({ variables: { input: { name: values.name.trim() } } });
      const token = result.data?.createGatewayToken.token;
      if (token) onCreated(token);
    } catch (error) {
      server.apply(error);
    }
  });
  return (
    <ServerForm onSubmit={submit} error={server.formError}>
      <TextInput
        label="Gateway name"
        placeholder="edge NGINX eu-west"
        description="Which gateway uses the token, so you recognise it later."
        required
        maxLength={100}
        data-autofocus
        {...form.getInputProps('name')}
      />
      <FormActions submitLabel="Create token" onCancel={onCancel} loading={loading} />
    </ServerForm>
  );
}

function TokenCreated({ token, onDone }: { token: string; onDone: () => void }) {
  return (
    <Stack gap="md">
      <Alert color="yellow" variant="light" icon={<IconShieldLock size={18} />} role="alert">
        Copy the token now and put it in the gateway&apos;s configuration. You will not see this
        again.
      </Alert>
      <Group gap="xs" wrap="nowrap" align="stretch">
        <Code
          block
          style={{ flex: 1, wordBreak: 'break-all', whiteSpace: 'pre-wrap' }}
          aria-label="New gateway token"
          data-testid="new-gateway-token"
        >
          {token}
        </Code>
        <CopyButton value={token}>
          {({ copied, copy }) => (
            <Button
              variant={copied ? 'light' : 'filled'}
              color={copied ? 'teal' : undefined}
              leftSection={copied ? <IconCheck size={16} /> : <IconCopy size={16} />}
              onClick={() => {
                copy();
                notifications.show({
                  color: 'teal',
                  title: 'Copied',
                  message: 'The gateway token is on your clipboard.',
                });
              }}
              h="auto"
            >
              {copied ? 'Copied' : 'Copy token'}
            </Button>
          )}
        </CopyButton>
      </Group>
      <Text size="xs" c="dimmed">
        The gateway sends it as <Code>Authorization: Bearer &lt;token&gt;</Code> to POST /v1/usage.
      </Text>
      <Group justify="flex-end">
        <Button variant="default" onClick={onDone}>
          Done
        </Button>
      </Group>
    </Stack>
  );
}
