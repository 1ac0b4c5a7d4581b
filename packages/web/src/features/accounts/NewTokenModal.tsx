import { useMutation } from '@apollo/client/react';
import {
  Alert,
  Button,
  Checkbox,
  Code,
  CopyButton,
  Group,
  NumberInput,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconCheck, IconCopy, IconShieldLock } from '@tabler/icons-react';
import { useState } from 'react';
import type { PatScope } from '../../gql/graphql';
import { AppModal } from '../common/AppModal';
import { FormAlert } from '../common/states';
import { useServerErrors } from '../forms/useServerErrors';
import { AccountQuery, CreatePersonalAccessTokenMutation } from './account.operations';

const SCOPES: PatScope[] = ['READ', 'WRITE'];

function isScope(value: string): value is PatScope {
  return SCOPES.some((scope) => scope === value);
}

export function NewTokenModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const [secret, setSecret] = useState<string | null>(null);
  const close = () => {
    setSecret(null);
    onClose();
  };
  return (
    <AppModal
      opened={opened}
      onClose={close}
      title={<Text fw={600}>{secret ? 'Your new token' : 'New personal access token'}</Text>}
      size="lg"
      closeOnClickOutside={secret === null}
    >
      {!opened ? null : secret ? (
        <TokenCreated token={secret} onDone={close} />
      ) : (
        <NewTokenForm onCreated={setSecret} onCancel={close} />
      )}
    </AppModal>
  );
}

function NewTokenForm({
  onCreated,
  onCancel,
}: {
  onCreated: (token: string) => void;
  onCancel: () => void;
}) {
  const [createToken, { loading }] = useMutation(CreatePersonalAccessTokenMutation, {
    refetchQueries: [AccountQuery],
  });
  const form = useForm<{ name: string; scopes: string[]; expiresInDays: number | string }>({
    initialValues: { name: '', scopes: ['READ'], expiresInDays: 90 },
  });
  const server = useServerErrors(form);

  const submit = form.onSubmit(async (values) => {
    server.clear();
    const days = typeof values.expiresInDays === 'number' ? values.expiresInDays : null;
    try {
      const result = await createToken({
        variables: {
          input: {
            name: values.name.trim(),
            scopes: values.scopes.filter(isScope),
            expiresInDays: days,
          },
        },
      });
      const token = result.data?.createPersonalAccessToken.token;
      if (token) onCreated(token);
    } catch (error) {
      server.apply(error);
    }
  });

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        <FormAlert message={server.formError} />
        <TextInput
          label="Token name"
          placeholder="CI deploys"
          description="What the token is for, so you recognise it later."
          required
          data-autofocus
          {...form.getInputProps('name')}
        />
        <Checkbox.Group
          label="Scopes"
          description="Read allows queries and subscriptions; write allows mutations."
          {...form.getInputProps('scopes')}
        >
          <Group mt="xs">
            <Checkbox value="READ" label="Read" />
            <Checkbox value="WRITE" label="Write" />
          </Group>
        </Checkbox.Group>
        <NumberInput
          label="Expires in (days)"
          description="Leave empty for a token that does not expire."
          placeholder="Never"
          min={1}
          max={365}
          allowDecimal={false}
          {...form.getInputProps('expiresInDays')}
        />
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" loading={loading}>
            Create token
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function TokenCreated({ token, onDone }: { token: string; onDone: () => void }) {
  return (
    <Stack gap="md">
      <Alert color="yellow" variant="light" icon={<IconShieldLock size={18} />}>
        Copy the token now and keep it somewhere safe. You will not see this token again.
      </Alert>
      <Group gap="xs" wrap="nowrap" align="stretch">
        <Code
          block
          style={{ flex: 1, wordBreak: 'break-all', whiteSpace: 'pre-wrap' }}
          data-testid="new-token"
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
                  message: 'The token is on your clipboard.',
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
        Send it as <Code>Authorization: Bearer &lt;token&gt;</Code> to /graphql.
      </Text>
      <Group justify="flex-end">
        <Button variant="default" onClick={onDone}>
          Done
        </Button>
      </Group>
    </Stack>
  );
}
