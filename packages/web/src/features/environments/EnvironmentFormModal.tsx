import { useMutation } from '@apollo/client/react';
import { Button, Group, Select, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import type { DevEnvironmentFieldsFragment } from '../../gql/graphql';
import { AppModal } from '../common/AppModal';
import { FormAlert } from '../common/states';
import { useServerErrors } from '../forms/useServerErrors';
import {
  CreateDevEnvironmentMutation,
  EnvironmentsQuery,
  UpdateDevEnvironmentMutation,
} from './environments.operations';

const NO_APP = '__none__';

interface Option {
  id: string;
  name: string;
}

interface EnvironmentFormModalProps {
  opened: boolean;
  onClose: () => void;
  organizationId: string;
  /** Editing this environment; creating when null. */
  environment: DevEnvironmentFieldsFragment | null;
  products: readonly (Option & { full: boolean })[];
  apps: readonly Option[];
}

export function EnvironmentFormModal(props: EnvironmentFormModalProps) {
  return (
    <AppModal
      opened={props.opened}
      onClose={props.onClose}
      title={<Text fw={600}>{props.environment ? 'Edit environment' : 'New environment'}</Text>}
    >
      {props.opened ? <EnvironmentForm {...props} /> : null}
    </AppModal>
  );
}

function EnvironmentForm({
  onClose,
  organizationId,
  environment,
  products,
  apps,
}: EnvironmentFormModalProps) {
  const [create, creating] = useMutation(CreateDevEnvironmentMutation, {
    refetchQueries: [EnvironmentsQuery],
    awaitRefetchQueries: true,
  });
  const [update, updating] = useMutation(UpdateDevEnvironmentMutation);
  const form = useForm({
    initialValues: {
      productId: environment?.product.id ?? products.find((product) => !product.full)?.id ?? '',
      label: environment?.label ?? '',
      appId: environment?.app?.id ?? NO_APP,
    },
  });
  const server = useServerErrors(form);

  const submit = form.onSubmit(async (values) => {
    server.clear();
    const appId = values.appId === NO_APP ? null : values.appId;
    try {
      if (environment) {
        await update({
          variables: {
            input: { devEnvironmentId: environment.id, label: values.label.trim(), appId },
          },
        });
        notifications.show({ color: 'teal', title: 'Environment saved', message: values.label });
      } else {
        if (!values.productId) {
          form.setFieldError('productId', 'Choose a product.');
          return;
        }
        await create({
          variables: {
            input: {
              organizationId,
              productId: values.productId,
              label: values.label.trim(),
              appId,
            },
          },
        });
        notifications.show({ color: 'teal', title: 'Environment created', message: values.label });
      }
      onClose();
    } catch (error) {
      server.apply(error);
    }
  });

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        <FormAlert message={server.formError} />
        <Select
          label="Product"
          data={products.map((product) => ({
            value: product.id,
            label: product.name,
          }))}
          disabled={Boolean(environment)}
          description={
            environment
              ? 'The product of an environment cannot change.'
              : products.find((product) => product.id === form.getValues().productId)?.full
                ? 'Your plan allows no more environments for this product.'
                : undefined
          }
          allowDeselect={false}
          {...form.getInputProps('productId')}
        />
        <TextInput
          label="Label"
          placeholder="staging"
          description="1 to 50 characters, unique per product."
          maxLength={50}
          required
          data-autofocus
          {...form.getInputProps('label')}
        />
        <Select
          label="App"
          data={[
            { value: NO_APP, label: 'No app' },
            ...apps.map((app) => ({ value: app.id, label: app.name })),
          ]}
          allowDeselect={false}
          {...form.getInputProps('appId')}
        />
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={creating.loading || updating.loading}>
            {environment ? 'Save changes' : 'Create environment'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
