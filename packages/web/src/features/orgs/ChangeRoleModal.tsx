import { useMutation } from '@apollo/client/react';
import { Select, Text } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import type { MemberRole } from '../../gql/graphql';
import { AppModal } from '../common/AppModal';
import { ServerForm } from '../forms/ServerForm';
import { FormActions } from '../forms/FormActions';
import { useServerErrors } from '../forms/useServerErrors';
import { isMemberRole, roleLabel, roleOptions } from './roles';
import { ChangeMemberRoleMutation } from './team.operations';

export interface RoleTarget {
  membershipId: string;
  name: string;
  role: MemberRole;
}

export function ChangeRoleModal({
  target,
  onClose,
}: {
  target: RoleTarget | null;
  onClose: () => void;
}) {
  return (
    <AppModal
      opened={target !== null}
      onClose={onClose}
      title={<Text fw={600}>Change role{target ? ` of ${target.name}` : ''}</Text>}
    >
      {target ? <ChangeRoleForm target={target} onClose={onClose} /> : null}
    </AppModal>
  );
}

function ChangeRoleForm({ target, onClose }: { target: RoleTarget; onClose: () => void }) {
  const [changeRole, { loading }] = useMutation(ChangeMemberRoleMutation);
  const form = useForm({ initialValues: { role: target.role as string } });
  const server = useServerErrors(form);
  const role = form.getValues().role;

  const submit = form.onSubmit(async (values) => {
    if (!isMemberRole(values.role)) return;
    server.clear();
    try {
      await changeRole({
        variables: { input: { membershipId: target.membershipId, role: values.role } },
      });
      notifications.show({
        color: 'teal',
        title: 'Role changed',
        message: `${target.name} is now ${roleLabel(values.role).toLowerCase()}.`,
      });
      onClose();
    } catch (error) {
      server.apply(error);
    }
  });

  return (
    <ServerForm onSubmit={submit} error={server.formError}>
      <Select
        label="Role"
        data={roleOptions.map(({ value, label }) => ({ value, label }))}
        allowDeselect={false}
        description={roleOptions.find((option) => option.value === role)?.description}
        {...form.getInputProps('role')}
      />
      <FormActions
        submitLabel="Save role"
        onCancel={onClose}
        loading={loading}
        disabled={role === target.role}
      />
    </ServerForm>
  );
}
