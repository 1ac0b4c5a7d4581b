import { Button, Group, Input, Rating, Select, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { ServerForm } from '../forms/ServerForm';
import { useServerErrors } from '../forms/useServerErrors';

export interface LabsFeedbackSubmit {
  rating: number;
  text: string;
  endpointMethod: string | null;
  endpointPath: string | null;
}

interface LabsFeedbackFormProps {
  endpoints: readonly { method: string; path: string }[];
  /** `METHOD path` of the endpoint to start with. */
  initialEndpoint?: string;
  /** Throws the server's error, which lands next to its field. */
  onSubmit: (feedback: LabsFeedbackSubmit) => Promise<void>;
}

/** Feedback on a Labs product: a rating from 1 to 5, a text, optionally about one endpoint. */
export function LabsFeedbackForm({ endpoints, initialEndpoint, onSubmit }: LabsFeedbackFormProps) {
  const form = useForm({
    mode: 'controlled',
    initialValues: { rating: 0, text: '', endpoint: initialEndpoint ?? '' },
    validate: {
      rating: (value) => (value >= 1 && value <= 5 ? null : 'Pick a rating from 1 to 5'),
      text: (value) => (value.trim() ? null : 'Tell us what you think'),
    },
  });
  const server = useServerErrors(form, { endpointMethod: 'endpoint', endpointPath: 'endpoint' });
  const [busy, setBusy] = useState(false);

  const submit = async (values: typeof form.values) => {
    server.clear();
    const [method, ...path] = values.endpoint ? values.endpoint.split(' ') : [];
    setBusy(true);
    try {
      await onSubmit({
        rating: values.rating,
        text: values.text,
        endpointMethod: method ?? null,
        endpointPath: path.length > 0 ? path.join(' ') : null,
      });
      form.reset();
    } catch (error) {
      server.apply(error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <ServerForm onSubmit={form.onSubmit((values) => void submit(values))} error={server.formError}>
      <Input.Wrapper label="Rating" required error={form.errors.rating}>
        <Rating
          value={form.getValues().rating}
          onChange={(value) => form.setFieldValue('rating', value)}
          size="lg"
          aria-label="Rating"
          mt={4}
        />
      </Input.Wrapper>
      {endpoints.length > 0 ? (
        <Select
          label="About an endpoint"
          placeholder="The product as a whole"
          clearable
          searchable
          data={endpoints.map((endpoint) => `${endpoint.method} ${endpoint.path}`)}
          value={form.getValues().endpoint || null}
          onChange={(value) => form.setFieldValue('endpoint', value ?? '')}
          error={form.errors.endpoint}
        />
      ) : null}
      <Textarea
        label="Your feedback"
        description="Staff read every message and may answer you."
        required
        autosize
        minRows={3}
        maxLength={5000}
        {...form.getInputProps('text')}
      />
      <Group justify="flex-end">
        <Button type="submit" loading={busy}>
          Send feedback
        </Button>
      </Group>
    </ServerForm>
  );
}
