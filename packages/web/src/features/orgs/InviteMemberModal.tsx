import { useMutation } from '@apollo/client/react';
import { Select, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { AppModal } from '../common/AppModal';
import { ServerForm } from '../forms/ServerForm';
import { FormActions } from '../forms/FormActions';
import { useServerErrors } from '../forms/useServerErrors';
import { isMemberRole, roleOptions } from './roles';
import { InviteMemberMutation, TeamQuery } from './team.operations';

interface InviteMemberModalProps {
  organizationId: string;
  organizationName: string;
  opened: boolean;
  onClose: () => void;
  onInvited: () => void;
}

export function InviteMemberModal(props: InviteMemberModalProps) {
  return (
    <AppModal
      opened={props.opened}
      onClose={props.onClose}
      title={<Text fw={600}>Invite a member to {props.organizationName}</Text>}
    >
      {props.opened ? <InviteMemberForm {...props} /> : null}
    </AppModal>
  );
}

function InviteMemberForm({ organizationId, onClose, onInvited }: InviteMemberModalProps) {
  const [inviteMember, { loading }] = useMutation(InviteMemberMutation, {
    refetchQueries: [TeamQuery],
    awaitRefetchQueries: true,
  });
  const form = useForm({ initialValues: { email: '', role: 'DEVELOPER' as string } });
  const server = useServerErrors(form);
  const role = form.getValues().role;

  const submit = form.onSubmit(async (values) => {
    server.clear();
    try {
      await inviteMember({
        variables: {
          input: {
            organizationId,
            email: values.email.trim(),
            role: isMemberRole(values.role) ? values.role : 'DEVELOPER',
          },
        },
      });
      notifications.show({
        color: 'teal',
        title: 'Invitation sent',
        message: `${values.email} has 7 days to accept.`,
      });
      onInvited();
    } catch (error) {
      server.apply(error);
    }
  });

  return (
    <ServerForm onSubmit={submit} error={server.formError}>
      <TextInput
        label="Email"
        type="email"
        placeholder="teammate@example.com"
        required
        data-autofocus
        {...form.getInputProps('email')}
      />
      <Select
        label="Role"
        data={roleOptions.map(({ value, label }) => ({ value, label }))}
        allowDeselect={false}
        description={roleOptions.find((option) => option.value === role)?.description}
        {...form.getInputProps('role')}
      />
      <FormActions submitLabel="Send invitation" onCancel={onClose} loading={loading} />
    </ServerForm>
  );
}
