import { Button, Group, Stack, Textarea, type ButtonProps } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import type { ReactNode } from 'react';
import { FormAlert } from '../common/states';
import { useServerErrors } from '../forms/useServerErrors';

interface ThreadMessageFormProps {
  /** Sends the message (trimmed); errors it throws are shown on the form. */
  send: (body: string) => Promise<unknown>;
  sending: boolean;
  label: string;
  description?: string;
  submitLabel: string;
  submitIcon: ReactNode;
  submitVariant?: ButtonProps['variant'];
  /** The toast shown once the message is sent. */
  sent: { title: string; message: string };
  mt?: 'lg';
}

/** A message in an application's thread: the applicant's answer or a staff question. */
export function ThreadMessageForm({
  send,
  sending,
  label,
  description,
  submitLabel,
  submitIcon,
  submitVariant,
  sent,
  mt,
}: ThreadMessageFormProps) {
  const form = useForm({ initialValues: { body: '' } });
  const server = useServerErrors(form);
  const submit = form.onSubmit(async (values) => {
    server.clear();
    try {
      await send(values.body.trim());
      form.reset();
      notifications.show({ color: 'teal', ...sent });
    } catch (error) {
      server.apply(error);
    }
  });
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm" mt={mt}>
        <FormAlert message={server.formError} />
        <Textarea
          label={label}
          description={description}
          autosize
          minRows={3}
          maxRows={10}
          maxLength={5000}
          required
          {...form.getInputProps('body')}
        />
        <Group justify="flex-end">
          <Button type="submit" variant={submitVariant} loading={sending} leftSection={submitIcon}>
            {submitLabel}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
