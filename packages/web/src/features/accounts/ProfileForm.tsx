import { useMutation } from '@apollo/client/react';
import { Badge, Button, Group, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { FormAlert } from '../common/states';
import { useServerErrors } from '../forms/useServerErrors';
import { UpdateProfileMutation } from './account.operations';

interface ProfileFormProps {
  name: string;
  email: string;
  emailVerified: boolean;
}

export function ProfileForm({ name, email, emailVerified }: ProfileFormProps) {
  const [updateProfile, { loading }] = useMutation(UpdateProfileMutation);
  const form = useForm({ initialValues: { name } });
  const server = useServerErrors(form);

  const submit = form.onSubmit(async (values) => {
    server.clear();
    try {
      await updateProfile({ variables: { input: values } });
      form.resetDirty();
      notifications.show({ color: 'teal', title: 'Profile saved', message: values.name });
    } catch (error) {
      server.apply(error);
    }
  });

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        <FormAlert message={server.formError} />
        <TextInput label="Name" required autoComplete="name" {...form.getInputProps('name')} />
        <TextInput
          label="Email address"
          value={email}
          readOnly
          variant="filled"
          rightSectionWidth={92}
          rightSection={
            <Badge size="sm" variant="light" color={emailVerified ? 'teal' : 'yellow'}>
              {emailVerified ? 'Verified' : 'Unverified'}
            </Badge>
          }
        />
        <Group justify="flex-end">
          <Button type="submit" loading={loading}>
            Save profile
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
