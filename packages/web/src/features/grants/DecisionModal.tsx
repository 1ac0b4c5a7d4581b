import { useMutation, useQuery } from '@apollo/client/react';
import { Button, Group, Select, Stack, Text, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { DecideApplicationMutation } from '../applications/applications.operations';
import { AppModal } from '../common/AppModal';
import { FormAlert } from '../common/states';
import { useServerErrors } from '../forms/useServerErrors';
import { DecideGrantsMutation, ReviewFiltersQuery } from './grants.operations';

export type Decision = 'APPROVE' | 'REJECT';

export interface DecisionTarget {
  decision: Decision;
  grantIds: readonly string[];
  applicationIds: readonly string[];
  /** For the title: "Maps API for Weather", "3 items". */
  label: string;
}

interface DecisionModalProps {
  target: DecisionTarget | null;
  onClose: () => void;
  onDecided: () => void;
}

/** Approve or reject one or many queued items, with a reason (a template or typed). */
export function DecisionModal({ target, onClose, onDecided }: DecisionModalProps) {
  const verb = target?.decision === 'REJECT' ? 'Reject' : 'Approve';
  return (
    <AppModal
      opened={target !== null}
      onClose={onClose}
      title={
        <Text fw={600}>
          {verb} {target?.label}
        </Text>
      }
    >
      {target ? <DecisionForm target={target} onClose={onClose} onDecided={onDecided} /> : null}
    </AppModal>
  );
}

function DecisionForm({
  target,
  onClose,
  onDecided,
}: {
  target: DecisionTarget;
  onClose: () => void;
  onDecided: () => void;
}) {
  const { data } = useQuery(ReviewFiltersQuery, { fetchPolicy: 'cache-first' });
  const templates = data?.reasonTemplates ?? [];
  const [decideGrants, grantsState] = useMutation(DecideGrantsMutation);
  const [decideApplication, applicationState] = useMutation(DecideApplicationMutation);
  const form = useForm({ initialValues: { reasonTemplateId: '' as string, reason: '' } });
  const server = useServerErrors(form, { grantIds: 'reason' });
  const reject = target.decision === 'REJECT';
  const loading = grantsState.loading || applicationState.loading;

  const submit = form.onSubmit(async (values) => {
    server.clear();
    const reason = values.reason.trim() || null;
    const reasonTemplateId = values.reasonTemplateId || null;
    if (reject && !reason && !reasonTemplateId) {
      form.setFieldError('reason', 'Give a reason to reject.');
      return;
    }
    const templateText = templates.find((template) => template.id === reasonTemplateId)?.text;
    try {
      if (target.grantIds.length > 0) {
        await decideGrants({
          variables: {
            input: {
              grantIds: [...target.grantIds],
              decision: target.decision,
              reason,
              reasonTemplateId,
            },
          },
        });
      }
      for (const applicationId of target.applicationIds) {
        await decideApplication({
          variables: {
            input: {
              applicationId,
              decision: target.decision,
              reason: reason ?? templateText ?? null,
            },
          },
        });
      }
      notifications.show({
        color: reject ? 'orange' : 'teal',
        title: reject ? 'Rejected' : 'Approved',
        message: `${target.label} ${reject ? 'rejected' : 'approved'}. The requesters are notified.`,
      });
      onDecided();
    } catch (error) {
      server.apply(error);
    }
  });

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        <FormAlert message={server.formError} />
        <Select
          label="Reason template"
          placeholder={templates.length ? 'Choose a template' : 'No templates yet'}
          data={templates.map((template) => ({ value: template.id, label: template.title }))}
          disabled={templates.length === 0}
          clearable
          {...form.getInputProps('reasonTemplateId')}
          onChange={(value) => {
            form.setFieldValue('reasonTemplateId', value ?? '');
            const text = templates.find((template) => template.id === value)?.text;
            if (text) form.setFieldValue('reason', text);
          }}
        />
        <Textarea
          label="Reason"
          description={
            reject ? 'Required. The requester sees it.' : 'Optional. The requester sees it.'
          }
          autosize
          minRows={3}
          maxRows={8}
          maxLength={2000}
          data-autofocus
          {...form.getInputProps('reason')}
        />
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" color={reject ? 'red' : 'teal'} loading={loading}>
            {reject ? 'Reject' : 'Approve'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
