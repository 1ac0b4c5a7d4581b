import { useMutation } from '@apollo/client/react';
import { Button, Group, NumberInput, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import type { PlanFieldsFragment } from '../../gql/graphql';
import { AppModal } from '../common/AppModal';
import { FormAlert } from '../common/states';
import { useServerErrors } from '../forms/useServerErrors';
import { CreatePlanMutation, StaffPlansQuery, UpdatePlanMutation } from './products.operations';

interface PlanFormModalProps {
  opened: boolean;
  onClose: () => void;
  plan: PlanFieldsFragment | null;
  nextRank: number;
}

export function PlanFormModal(props: PlanFormModalProps) {
  return (
    <AppModal
      opened={props.opened}
      onClose={props.onClose}
      size="lg"
      title={<Text fw={600}>{props.plan ? `Edit ${props.plan.name}` : 'New plan'}</Text>}
    >
      {props.opened ? <PlanForm {...props} /> : null}
    </AppModal>
  );
}

/** A number field's value, or null when left empty (unlimited). */
function capOf(value: number | string): number | null {
  return value === '' ? null : Number(value);
}

function PlanForm({ onClose, plan, nextRank }: PlanFormModalProps) {
  const [create, creating] = useMutation(CreatePlanMutation, {
    refetchQueries: [StaffPlansQuery],
    awaitRefetchQueries: true,
  });
  const [update, updating] = useMutation(UpdatePlanMutation);
  const form = useForm({
    initialValues: {
      name: plan?.name ?? '',
      rank: (plan?.rank ?? nextRank) as number | string,
      monthlyRequestCap: (plan?.monthlyRequestCap ?? '') as number | string,
      monthlyUnitCap: (plan?.monthlyUnitCap ?? '') as number | string,
      rateLimitRequests: (plan?.rateLimitRequests ?? 60) as number | string,
      rateLimitWindowSeconds: (plan?.rateLimitWindowSeconds ?? 60) as number | string,
      maxApps: (plan?.maxApps ?? 5) as number | string,
      maxDevEnvironments: (plan?.maxDevEnvironments ?? 1) as number | string,
    },
  });
  const server = useServerErrors(form);
  const submit = form.onSubmit(async (values) => {
    server.clear();
    const fields = {
      name: values.name.trim(),
      rank: Number(values.rank),
      monthlyRequestCap: capOf(values.monthlyRequestCap),
      monthlyUnitCap: capOf(values.monthlyUnitCap),
      rateLimitRequests: Number(values.rateLimitRequests),
      rateLimitWindowSeconds: Number(values.rateLimitWindowSeconds),
      maxApps: Number(values.maxApps),
      maxDevEnvironments: Number(values.maxDevEnvironments),
    };
    try {
      if (plan) {
        await update({ variables: { input: { planId: plan.id, ...fields } } });
        notifications.show({
          color: 'teal',
          title: 'Plan saved',
          message: `${fields.name}: organizations on it get the new limits now.`,
        });
      } else {
        await create({ variables: { input: fields } });
        notifications.show({ color: 'teal', title: 'Plan created', message: fields.name });
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
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput
            label="Plan name"
            required
            data-autofocus
            maxLength={50}
            {...form.getInputProps('name')}
          />
          <NumberInput
            label="Rank"
            description="Higher ranks are higher tiers."
            min={0}
            allowDecimal={false}
            {...form.getInputProps('rank')}
          />
          <NumberInput
            label="Monthly request cap"
            description="Empty: unlimited."
            min={0}
            thousandSeparator=","
            allowDecimal={false}
            {...form.getInputProps('monthlyRequestCap')}
          />
          <NumberInput
            label="Monthly unit cap"
            description="Empty: unlimited."
            min={0}
            thousandSeparator=","
            allowDecimal={false}
            {...form.getInputProps('monthlyUnitCap')}
          />
          <NumberInput
            label="Rate limit (requests)"
            min={1}
            allowDecimal={false}
            {...form.getInputProps('rateLimitRequests')}
          />
          <NumberInput
            label="Rate limit window (seconds)"
            min={1}
            max={86400}
            allowDecimal={false}
            {...form.getInputProps('rateLimitWindowSeconds')}
          />
          <NumberInput
            label="Maximum apps"
            min={0}
            allowDecimal={false}
            {...form.getInputProps('maxApps')}
          />
          <NumberInput
            label="Maximum dev environments"
            description="Per product."
            min={0}
            allowDecimal={false}
            {...form.getInputProps('maxDevEnvironments')}
          />
        </SimpleGrid>
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={creating.loading || updating.loading}>
            {plan ? 'Save changes' : 'Create plan'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
