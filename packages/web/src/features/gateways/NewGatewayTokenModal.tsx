import { useMutation } from '@apollo/client/react';
import { Code, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { ShowOnceModal, ShownOnceToken } from '../common/ShowOnceModal';
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
  return (
    <ShowOnceModal
      opened={opened}
      onClose={onClose}
      formTitle="Create gateway token"
      shownTitle="Your new gateway token"
      form={(onCreated, onCancel) => (
        <NewGatewayTokenForm onCreated={onCreated} onCancel={onCancel} />
      )}
      shown={(token, onDone) => (
        <ShownOnceToken
          token={token}
          onDone={onDone}
          warning="Copy the token now and put it in the gateway's configuration. You will not see this again."
          hint={
            <>
              The gateway sends it as <Code>Authorization: Bearer &lt;token&gt;</Code> to POST
              /v1/usage.
            </>
          }
          label="New gateway token"
          testId="new-gateway-token"
          copiedMessage="The gateway token is on your clipboard."
        />
      )}
    />
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
