import { useMutation } from '@apollo/client/react';
import { NumberInput, Slider, Text } from '@mantine/core';
import { useForm } from '@mantine/form';
import type { CredentialFieldsFragment } from '../../gql/graphql';
import { AppModal } from '../common/AppModal';
import { formatDateTime } from '../common/format';
import { FormActions } from '../forms/FormActions';
import { ServerForm } from '../forms/ServerForm';
import { useServerErrors } from '../forms/useServerErrors';
import { credentialName, graceEndsAt, kindInfo } from './credentialDisplay';
import { RotateCredentialMutation, secretMutationOptions } from './credentials.operations';
import type { IssuedSecret } from './SecretModal';
import { useNow } from './useNow';

export const DEFAULT_GRACE_DAYS = 7;
export const MAX_GRACE_DAYS = 30;

interface RotateModalProps {
  target: CredentialFieldsFragment | null;
  opened: boolean;
  onClose: () => void;
  onRotated: (issued: IssuedSecret) => void;
}

/** Rotation: choose how long the current secret keeps working beside the new one. */
export function RotateModal({ target, opened, onClose, onRotated }: RotateModalProps) {
  const title = target ? `Rotate ${kindInfo(target.kind).singular}` : 'Rotate';
  return (
    <AppModal opened={opened} onClose={onClose} title={<Text fw={600}>{title}</Text>}>
      {target ? (
        // Keyed, so each opening starts from the default grace period.
        <RotateForm key={target.id} target={target} onCancel={onClose} onRotated={onRotated} />
      ) : null}
    </AppModal>
  );
}

function RotateForm({
  target,
  onCancel,
  onRotated,
}: {
  target: CredentialFieldsFragment;
  onCancel: () => void;
  onRotated: (issued: IssuedSecret) => void;
}) {
  const info = kindInfo(target.kind);
  const now = useNow();
  const [rotate, { loading }] = useMutation(RotateCredentialMutation, secretMutationOptions());
  const form = useForm<{ graceDays: number | string }>({
    initialValues: { graceDays: DEFAULT_GRACE_DAYS },
    validate: {
      graceDays: (value) =>
        typeof value === 'number' &&
        Number.isInteger(value) &&
        value >= 0 &&
        value <= MAX_GRACE_DAYS
          ? null
          : `Choose a whole number of days from 0 to ${MAX_GRACE_DAYS}.`,
    },
  });
  const server = useServerErrors(form);
  const days = form.values.graceDays;
  const graceDays = typeof days === 'number' ? days : null;

  const submit = form.onSubmit(async (values) => {
    server.clear();
    if (typeof values.graceDays !== 'number') return;
    try {
      const result = await rotate({
        variables: { input: { credentialId: target.id, graceDays: values.graceDays } },
      });
      const payload = result.data?.rotateCredential;
      if (!payload) return;
      onRotated({
        kind: payload.credential.kind,
        publicId: payload.publicId,
        secret: payload.secret,
        reason: 'rotated',
        previous: {
          status: payload.previousCredential.status,
          expiresAt: payload.previousCredential.expiresAt,
        },
      });
    } catch (error) {
      server.apply(error);
    }
  });

  return (
    <ServerForm onSubmit={submit} error={server.formError}>
      <Text size="sm">
        Rotating <b>{credentialName(target)}</b> makes a new {info.singular}. The current one keeps
        working during a grace period, so you can move your traffic over before it stops.
      </Text>
      <NumberInput
        label="Grace period (days)"
        description={`0 to ${MAX_GRACE_DAYS} days; 0 stops the current secret at once.`}
        min={0}
        max={MAX_GRACE_DAYS}
        allowDecimal={false}
        allowNegative={false}
        clampBehavior="strict"
        data-autofocus
        {...form.getInputProps('graceDays')}
      />
      <Slider
        min={0}
        max={MAX_GRACE_DAYS}
        step={1}
        value={graceDays ?? 0}
        onChange={(value) => form.setFieldValue('graceDays', value)}
        thumbLabel="Grace period slider"
        label={(value) => `${value} ${value === 1 ? 'day' : 'days'}`}
        marks={[
          { value: 0, label: '0' },
          { value: 7, label: '7' },
          { value: 14, label: '14' },
          { value: 30, label: '30' },
        ]}
        mb="md"
      />
      <Text size="sm" c="dimmed" aria-live="polite">
        {graceDays === null
          ? 'Choose how many days the current secret keeps working.'
          : graceDays === 0
            ? 'The current secret stops working at once; only the new one works.'
            : `Both the current and the new secret work until ${formatDateTime(graceEndsAt(graceDays, now).toISOString())}. After that only the new one works.`}
      </Text>
      <FormActions submitLabel={`Rotate ${info.singular}`} onCancel={onCancel} loading={loading} />
    </ServerForm>
  );
}
