import { useMutation } from '@apollo/client/react';
import { Checkbox, Code, Group, NumberInput, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import type { PatScope } from '../../gql/graphql';
import { ShowOnceModal, ShownOnceToken } from '../common/ShowOnceModal';
import { ServerForm } from '../forms/ServerForm';
import { FormActions } from '../forms/FormActions';
import { useServerErrors } from '../forms/useServerErrors';
import { AccountQuery, CreatePersonalAccessTokenMutation } from './account.operations';

const SCOPES: PatScope[] = ['READ', 'WRITE'];

function isScope(value: string): value is PatScope {
  return SCOPES.some((scope) => scope === value);
}

export function NewTokenModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  return (
    <ShowOnceModal
      opened={opened}
      onClose={onClose}
      formTitle="New personal access token"
      shownTitle="Your new token"
      form={(onCreated, onCancel) => <NewTokenForm onCreated={onCreated} onCancel={onCancel} />}
      shown={(token, onDone) => (
        <ShownOnceToken
          token={token}
          onDone={onDone}
          warning="Copy the token now and keep it somewhere safe. You will not see this token again."
          hint={
            <>
              Send it as <Code>Authorization: Bearer &lt;token&gt;</Code> to /graphql.
            </>
          }
          label="New personal access token"
          testId="new-token"
          copiedMessage="The token is on your clipboard."
        />
      )}
    />
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
    <ServerForm onSubmit={submit} error={server.formError}>
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
      <FormActions submitLabel="Create token" onCancel={onCancel} loading={loading} />
    </ServerForm>
  );
}
