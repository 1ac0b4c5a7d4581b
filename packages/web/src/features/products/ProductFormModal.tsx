import { useMutation } from '@apollo/client/react';
import {
  Button,
  Checkbox,
  Fieldset,
  Group,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Text,
  TextInput,
  Textarea,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import type { ApprovalMode, PermissionLevel, ProductFieldsFragment } from '../../gql/graphql';
import { permissionLevels } from '../apps/appFields';
import { AppModal } from '../common/AppModal';
import { FormAlert } from '../common/states';
import { useServerErrors } from '../forms/useServerErrors';
import { approvalModeDescriptions, approvalModeLabels, parseList } from './productFormat';
import {
  CreateProductMutation,
  StaffProductsQuery,
  UpdateProductMutation,
} from './products.operations';

const modes: ApprovalMode[] = ['AUTO', 'MANUAL', 'CONDITIONAL'];
const ANY = '';

function isMode(value: string): value is ApprovalMode {
  return modes.some((mode) => mode === value);
}

function isPermission(value: string): value is PermissionLevel {
  return permissionLevels.some((level) => level.value === value);
}

interface ProductFormModalProps {
  opened: boolean;
  onClose: () => void;
  /** Editing this product; creating when null. */
  product: ProductFieldsFragment | null;
  plans: readonly { id: string; name: string; rank: number }[];
}

export function ProductFormModal(props: ProductFormModalProps) {
  return (
    <AppModal
      opened={props.opened}
      onClose={props.onClose}
      size="lg"
      title={<Text fw={600}>{props.product ? `Edit ${props.product.name}` : 'New product'}</Text>}
    >
      {props.opened ? <ProductForm {...props} /> : null}
    </AppModal>
  );
}

function slugify(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 50);
}

function ProductForm({ onClose, product, plans }: ProductFormModalProps) {
  const [create, creating] = useMutation(CreateProductMutation, {
    refetchQueries: [StaffProductsQuery],
    awaitRefetchQueries: true,
  });
  const [update, updating] = useMutation(UpdateProductMutation);
  const rules = product?.approvalRules;
  const form = useForm({
    initialValues: {
      name: product?.name ?? '',
      slug: product?.slug ?? '',
      description: product?.description ?? '',
      pathPrefixes: (product?.pathPrefixes ?? []).join('\n'),
      dmPathPrefixes: (product?.dmPathPrefixes ?? []).join('\n'),
      requiresProject: product?.requiresProject ?? false,
      approvalMode: (product?.approvalMode ?? 'MANUAL') as string,
      approvalRules: {
        requireVerifiedOrg: rules?.requireVerifiedOrg ?? false,
        minimumPlanRank:
          rules?.minimumPlanRank === null || rules?.minimumPlanRank === undefined
            ? ANY
            : String(rules.minimumPlanRank),
        maximumPermissionLevel: (rules?.maximumPermissionLevel ?? ANY) as string,
        emailDomains: (rules?.emailDomains ?? []).join('\n'),
      },
    },
  });
  const server = useServerErrors(form);
  const values = form.getValues();
  const slugTouched = Boolean(product) || form.isTouched('slug');

  const submit = form.onSubmit(async (input) => {
    server.clear();
    const approvalMode = isMode(input.approvalMode) ? input.approvalMode : 'MANUAL';
    const approvalRules =
      approvalMode === 'CONDITIONAL'
        ? {
            requireVerifiedOrg: input.approvalRules.requireVerifiedOrg,
            minimumPlanRank:
              input.approvalRules.minimumPlanRank === ANY
                ? null
                : Number(input.approvalRules.minimumPlanRank),
            maximumPermissionLevel: isPermission(input.approvalRules.maximumPermissionLevel)
              ? input.approvalRules.maximumPermissionLevel
              : null,
            emailDomains: parseList(input.approvalRules.emailDomains),
          }
        : null;
    const fields = {
      name: input.name.trim(),
      slug: input.slug.trim(),
      description: input.description.trim(),
      pathPrefixes: parseList(input.pathPrefixes),
      dmPathPrefixes: parseList(input.dmPathPrefixes),
      requiresProject: input.requiresProject,
      approvalMode,
    };
    try {
      if (product) {
        await update({
          variables: {
            input: {
              productId: product.id,
              ...fields,
              ...(approvalRules ? { approvalRules } : {}),
            },
          },
        });
        notifications.show({ color: 'teal', title: 'Product saved', message: fields.name });
      } else {
        await create({ variables: { input: { ...fields, approvalRules } } });
        notifications.show({ color: 'teal', title: 'Product created', message: fields.name });
      }
      onClose();
    } catch (error) {
      server.apply(error);
    }
  });

  const rulesError = form.errors['approvalRules'];
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        <FormAlert message={server.formError} />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput
            label="Name"
            required
            data-autofocus
            maxLength={100}
            {...form.getInputProps('name')}
            onChange={(event) => {
              const name = event.currentTarget.value;
              form.setFieldValue('name', name);
              if (!slugTouched) form.setFieldValue('slug', slugify(name));
            }}
          />
          <TextInput
            label="Slug"
            description="a-z, 0-9 and -; unique."
            required
            maxLength={50}
            classNames={{ input: 'portico-mono' }}
            {...form.getInputProps('slug')}
          />
        </SimpleGrid>
        <Textarea
          label="Description"
          autosize
          minRows={2}
          maxRows={6}
          {...form.getInputProps('description')}
        />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <Textarea
            label="Path prefixes"
            description="One per line, each starting with /."
            placeholder="/v2/tweets"
            autosize
            minRows={3}
            classNames={{ input: 'portico-mono' }}
            {...form.getInputProps('pathPrefixes')}
          />
          <Textarea
            label="DM path prefixes"
            description="Paths that need the direct-messages permission."
            placeholder="/v2/dm_events"
            autosize
            minRows={3}
            classNames={{ input: 'portico-mono' }}
            {...form.getInputProps('dmPathPrefixes')}
          />
        </SimpleGrid>
        <Switch
          label="Requires project"
          description="Only apps inside a project may be granted this product."
          {...form.getInputProps('requiresProject', { type: 'checkbox' })}
        />
        <Select
          label="Approval mode"
          data={modes.map((mode) => ({ value: mode, label: approvalModeLabels[mode] }))}
          description={
            isMode(values.approvalMode) ? approvalModeDescriptions[values.approvalMode] : undefined
          }
          allowDeselect={false}
          {...form.getInputProps('approvalMode')}
        />
        {values.approvalMode === 'CONDITIONAL' ? (
          <Fieldset legend="Conditional rules" radius="md">
            <Stack gap="sm">
              <Text size="xs" c="dimmed">
                A request meeting every rule set here is approved at once; the others wait for
                staff. Set at least one.
              </Text>
              <Checkbox
                label="Require a verified organization"
                {...form.getInputProps('approvalRules.requireVerifiedOrg', { type: 'checkbox' })}
              />
              <SimpleGrid cols={{ base: 1, sm: 2 }}>
                <Select
                  label="Minimum plan"
                  data={[
                    { value: ANY, label: 'Any plan' },
                    ...[...plans]
                      .sort((a, b) => a.rank - b.rank)
                      .map((plan) => ({ value: String(plan.rank), label: plan.name })),
                  ]}
                  allowDeselect={false}
                  {...form.getInputProps('approvalRules.minimumPlanRank')}
                />
                <Select
                  label="Maximum permission level"
                  data={[
                    { value: ANY, label: 'Any level' },
                    ...permissionLevels.map(({ value, label }) => ({ value, label })),
                  ]}
                  allowDeselect={false}
                  {...form.getInputProps('approvalRules.maximumPermissionLevel')}
                />
              </SimpleGrid>
              <Textarea
                label="Email domains"
                description="The app owner's email domain must be one of these; one per line. Empty: any."
                placeholder="example.com"
                autosize
                minRows={2}
                {...form.getInputProps('approvalRules.emailDomains')}
              />
              {typeof rulesError === 'string' || rulesError ? (
                <Text size="sm" c="red" role="alert">
                  {String(rulesError)}
                </Text>
              ) : null}
            </Stack>
          </Fieldset>
        ) : null}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={creating.loading || updating.loading}>
            {product ? 'Save changes' : 'Create product'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
