import { useMutation } from '@apollo/client/react';
import { Button, Group, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { AppModal } from '../common/AppModal';
import { FormAlert } from '../common/states';
import { useServerErrors } from '../forms/useServerErrors';
import { DashboardQuery } from '../orgs/orgs.operations';
import { CreateProjectMutation, UpdateProjectMutation } from './projects.operations';

interface ProjectValues {
  name: string;
  description: string;
  useCase: string;
}

type ProjectFormModalProps = {
  opened: boolean;
  onClose: () => void;
} & (
  | { mode: 'create'; organizationId: string }
  | { mode: 'edit'; projectId: string; initial: ProjectValues }
);

/** Creates a project (admins), or edits one. */
export function ProjectFormModal(props: ProjectFormModalProps) {
  const { opened, onClose } = props;
  return (
    <AppModal
      opened={opened}
      onClose={onClose}
      title={<Text fw={600}>{props.mode === 'create' ? 'New project' : 'Edit project'}</Text>}
      size="lg"
    >
      {/* Remount per opening, so the form starts from the current values. */}
      {opened ? <ProjectForm {...props} /> : null}
    </AppModal>
  );
}

function ProjectForm(props: ProjectFormModalProps) {
  const initial =
    props.mode === 'edit' ? props.initial : { name: '', description: '', useCase: '' };
  const form = useForm<ProjectValues>({ initialValues: initial });
  const server = useServerErrors(form);
  const [createProject, created] = useMutation(CreateProjectMutation, {
    refetchQueries: [DashboardQuery],
  });
  const [updateProject, updated] = useMutation(UpdateProjectMutation);

  const submit = form.onSubmit(async (values) => {
    server.clear();
    try {
      if (props.mode === 'create') {
        await createProject({
          variables: { input: { organizationId: props.organizationId, ...values } },
        });
        notifications.show({ color: 'teal', title: 'Project created', message: values.name });
      } else {
        await updateProject({ variables: { input: { projectId: props.projectId, ...values } } });
        notifications.show({ color: 'teal', title: 'Project saved', message: values.name });
      }
      props.onClose();
    } catch (error) {
      server.apply(error);
    }
  });

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        <FormAlert message={server.formError} />
        <TextInput
          label="Project name"
          placeholder="Customer analytics"
          required
          data-autofocus
          {...form.getInputProps('name')}
        />
        <Textarea
          label="Description"
          placeholder="What the apps in this project do"
          autosize
          minRows={2}
          maxRows={6}
          {...form.getInputProps('description')}
        />
        <TextInput
          label="Use case"
          placeholder="e.g. Academic research, internal dashboards, a consumer product"
          {...form.getInputProps('useCase')}
        />
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={props.onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={created.loading || updated.loading}>
            {props.mode === 'create' ? 'Create project' : 'Save changes'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
