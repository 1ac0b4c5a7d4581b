import { useMutation } from '@apollo/client/react';
import { NumberInput, Text } from '@mantine/core';
import { useForm } from '@mantine/form';
import { ShowOnceModal, ShownOnceToken } from '../common/ShowOnceModal';
import { FormActions } from '../forms/FormActions';
import { ServerForm } from '../forms/ServerForm';
import { useServerErrors } from '../forms/useServerErrors';
import { SecretHint } from './NewWebhookEndpointModal';
import { RotateWebhookSecretMutation } from './webhooks.operations';

/** "Rotate secret": how long the old secret keeps signing, then the new secret, shown once. */
export function RotateWebhookSecretModal({
  endpoint,
  onClose,
}: {
  endpoint: { id: string; url: string } | null;
  onClose: () => void;
}) {
  return (
    <ShowOnceModal
      opened={endpoint !== null}
      onClose={onClose}
      formTitle="Rotate signing secret"
      shownTitle="Your new signing secret"
      form={(onCreated, onCancel) =>
        endpoint ? (
          <RotateForm endpointId={endpoint.id} onRotated={onCreated} onCancel={onCancel} />
        ) : null
      }
      shown={(secret, onDone) => (
        <ShownOnceToken
          token={secret}
          onDone={onDone}
          warning="Copy the new secret now and give it to your receiver. You will not see it again."
          hint={<SecretHint />}
          label="New signing secret"
          testId="webhook-secret"
          copyLabel="Copy secret"
          copiedMessage="The new signing secret is on your clipboard."
        />
      )}
    />
  );
}

function RotateForm({
  endpointId,
  onRotated,
  onCancel,
}: {
  endpointId: string;
  onRotated: (secret: string) => void;
  onCancel: () => void;
}) {
  const [rotate, { loading }] = useMutation(RotateWebhookSecretMutation);
  const form = useForm<{ overlapHours: number | string }>({ initialValues: { overlapHours: 24 } });
  const server = useServerErrors(form);
  const submit = form.onSubmit(async (values) => {
    server.clear();
    try {
      const result = await rotate({
        variables: { input: { endpointId, overlapHours: Number(values.overlapHours) } },
      });
      const secret = result.data?.rotateWebhookSecret.secret;
      if (secret) onRotated(secret);
    } catch (error) {
      server.apply(error);
    }
  });
  return (
    <ServerForm onSubmit={submit} error={server.formError}>
      <Text size="sm">
        A new secret signs every delivery from now on. During the overlap the current secret signs
        them too (the <code>webhook-signature</code> header carries both), so your receiver can
        switch without missing one.
      </Text>
      <NumberInput
        label="Overlap (hours)"
        description="0 to 168. With 0 the current secret stops at once."
        min={0}
        max={168}
        allowDecimal={false}
        required
        {...form.getInputProps('overlapHours')}
      />
      <FormActions submitLabel="Rotate secret" onCancel={onCancel} loading={loading} />
    </ServerForm>
  );
}
