import { useMutation } from '@apollo/client/react';
import {
  Alert,
  Code,
  Group,
  NumberInput,
  SegmentedControl,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconInfoCircle } from '@tabler/icons-react';
import { useState } from 'react';
import type { AccountQuery as AccountQueryResult, TokenAccess, TokenArea } from '../../gql/graphql';
import { ShowOnceModal, ShownOnceToken } from '../common/ShowOnceModal';
import { ServerForm } from '../forms/ServerForm';
import { FormActions } from '../forms/FormActions';
import { useServerErrors } from '../forms/useServerErrors';
import { AccountQuery, CreateFineGrainedPersonalAccessTokenMutation } from './account.operations';
import { areasFor, EXPIRY_CHOICES, MAX_TOKEN_DAYS } from './tokenAreas';

type Organization = NonNullable<AccountQueryResult['viewer']>['organizations'][number];

/** The "resource" select's value for a token of the user's own account. */
const OWN_ACCOUNT = 'own-account';
const CUSTOM = 'custom';

export function NewTokenModal({
  opened,
  onClose,
  organizations,
  staff,
}: {
  opened: boolean;
  onClose: () => void;
  organizations: readonly Organization[];
  staff: boolean;
}) {
  // The organization whose admins must approve the token just made, if any.
  const [waitsFor, setWaitsFor] = useState<string | null>(null);
  return (
    <ShowOnceModal
      opened={opened}
      onClose={onClose}
      formTitle="New fine-grained token"
      shownTitle="Your new token"
      form={(onCreated, onCancel) => (
        <NewTokenForm
          organizations={organizations}
          staff={staff}
          onCreated={(token, pendingIn) => {
            setWaitsFor(pendingIn);
            onCreated(token);
          }}
          onCancel={onCancel}
        />
      )}
      shown={(token, onDone) => (
        <Stack gap="md">
          {waitsFor ? (
            <Alert color="blue" variant="light" icon={<IconInfoCircle size={18} />}>
              {waitsFor} requires an admin to approve new tokens: this one works once approved.
            </Alert>
          ) : null}
          <ShownOnceToken
            token={token}
            onDone={onDone}
            warning="Copy the token now and keep it somewhere safe. You will not see this token again."
            hint={
              <>
                Send it as <Code>Authorization: Bearer &lt;token&gt;</Code> to /graphql.
              </>
            }
            label="New personal access token"
            testId="new-token"
            copiedMessage="The token is on your clipboard."
          />
        </Stack>
      )}
    />
  );
}

interface Values {
  name: string;
  resource: string;
  expiry: string;
  customDays: number | string;
  permissions: Partial<Record<TokenArea, TokenAccess>>;
}

function NewTokenForm({
  organizations,
  staff,
  onCreated,
  onCancel,
}: {
  organizations: readonly Organization[];
  staff: boolean;
  onCreated: (token: string, waitsForApprovalIn: string | null) => void;
  onCancel: () => void;
}) {
  const [createToken, { loading }] = useMutation(CreateFineGrainedPersonalAccessTokenMutation, {
    refetchQueries: [AccountQuery],
  });
  const usable = organizations.filter((org) => org.tokenPolicy !== 'FORBID');
  const form = useForm<Values>({
    initialValues: {
      name: '',
      resource: usable[0]?.id ?? OWN_ACCOUNT,
      expiry: '30',
      customDays: 120,
      permissions: {},
    },
  });
  const server = useServerErrors(form, { organizationId: 'resource', expiresInDays: 'expiry' });
  const organization = organizations.find((org) => org.id === form.values.resource) ?? null;
  const areas = areasFor(organization !== null, staff);
  const needsApproval =
    organization?.tokenPolicy === 'REQUIRE_APPROVAL' && organization.viewerRole !== 'ADMIN';

  const submit = form.onSubmit(async (values) => {
    server.clear();
    const days =
      values.expiry === CUSTOM
        ? typeof values.customDays === 'number'
          ? values.customDays
          : 0
        : Number(values.expiry);
    const permissions = areas
      .map(({ area }) => ({ area, level: values.permissions[area] ?? 'NONE' }))
      .filter((permission) => permission.level !== 'NONE');
    try {
      const result = await createToken({
        variables: {
          input: {
            name: values.name.trim(),
            organizationId: organization?.id ?? null,
            permissions,
            expiresInDays: days,
          },
        },
      });
      const made = result.data?.createFineGrainedPersonalAccessToken;
      if (made) {
        const pending = made.personalAccessToken.status === 'PENDING_APPROVAL';
        onCreated(made.token, pending ? (organization?.name ?? null) : null);
      }
    } catch (error) {
      server.apply(error);
    }
  });

  const resourceOptions = [
    ...organizations.map((org) => ({
      value: org.id,
      label: org.tokenPolicy === 'FORBID' ? `${org.name} (forbids tokens)` : org.name,
      disabled: org.tokenPolicy === 'FORBID',
    })),
    { value: OWN_ACCOUNT, label: 'Your own account' },
  ];

  return (
    <ServerForm onSubmit={submit} error={server.formError}>
      <TextInput
        label="Token name"
        placeholder="CI deploys"
        description="What the token is for, so you recognise it later."
        required
        data-autofocus
        {...form.getInputProps('name')}
      />
      <Select
        label="Resource"
        description={
          organization
            ? 'The token reaches this organization only, never another.'
            : 'The token reaches your account and your personal organizations.'
        }
        data={resourceOptions}
        allowDeselect={false}
        {...form.getInputProps('resource')}
        onChange={(value) => {
          form.setFieldValue('resource', value ?? OWN_ACCOUNT);
          form.setFieldValue('permissions', {});
        }}
      />
      {needsApproval ? (
        <Alert color="blue" variant="light" icon={<IconInfoCircle size={18} />}>
          {organization.name} requires an admin to approve new tokens. Yours waits for approval and
          works once an admin approves it.
        </Alert>
      ) : null}
      <Group grow align="flex-start">
        <Select
          label="Expires in"
          description="At most one year."
          data={[
            ...EXPIRY_CHOICES.map((days) => ({
              value: String(days),
              label: days === 365 ? '1 year' : `${days} days`,
            })),
            { value: CUSTOM, label: 'Custom…' },
          ]}
          allowDeselect={false}
          {...form.getInputProps('expiry')}
        />
        {form.values.expiry === CUSTOM ? (
          <NumberInput
            label="Days"
            description={`1 to ${MAX_TOKEN_DAYS}.`}
            min={1}
            max={MAX_TOKEN_DAYS}
            allowDecimal={false}
            {...form.getInputProps('customDays')}
          />
        ) : null}
      </Group>
      <div>
        <Text size="sm" fw={500}>
          Permissions
        </Text>
        <Text size="xs" c="dimmed" mb="xs">
          Give each area only what the token needs. It never does more than your role allows.
        </Text>
        <Table verticalSpacing={6} withRowBorders={false} aria-label="Permissions">
          <Table.Tbody>
            {areas.map(({ area, label, description }) => (
              <Table.Tr key={area}>
                <Table.Td pl={0}>
                  <Text size="sm">{label}</Text>
                  <Text size="xs" c="dimmed">
                    {description}
                  </Text>
                </Table.Td>
                <Table.Td pr={0} style={{ textAlign: 'right' }}>
                  <SegmentedControl
                    size="xs"
                    aria-label={`${label} access`}
                    value={form.values.permissions[area] ?? 'NONE'}
                    onChange={(level) =>
                      form.setFieldValue('permissions', {
                        ...form.values.permissions,
                        [area]: level as TokenAccess,
                      })
                    }
                    data={[
                      { value: 'NONE', label: 'None' },
                      { value: 'READ', label: 'Read' },
                      { value: 'WRITE', label: 'Write' },
                    ]}
                  />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        {form.errors.permissions ? (
          <Text size="xs" c="red" role="alert">
            {form.errors.permissions}
          </Text>
        ) : null}
      </div>
      <FormActions submitLabel="Create token" onCancel={onCancel} loading={loading} />
    </ServerForm>
  );
}
