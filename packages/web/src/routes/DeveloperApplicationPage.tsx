import { useMutation, useQuery } from '@apollo/client/react';
import {
  Alert,
  Button,
  Card,
  Group,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Textarea,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconCircleCheck, IconClock, IconMessageQuestion, IconSend } from '@tabler/icons-react';
import { Link } from 'react-router';
import { useViewer } from '../features/accounts/viewer';
import { ApplicationStatusBadge } from '../features/applications/ApplicationStatusBadge';
import { ApplicationThread } from '../features/applications/ApplicationThread';
import { ThreadMessageForm } from '../features/applications/ThreadMessageForm';
import {
  AnswerApplicationQuestionMutation,
  ApplyForDeveloperAccountMutation,
  MyApplicationQuery,
} from '../features/applications/applications.operations';
import { formatDate, formatDateTime, formatRelative } from '../features/common/format';
import { PageHeader } from '../features/common/PageHeader';
import { FormAlert, PageSkeleton, QueryError } from '../features/common/states';
import { useServerErrors } from '../features/forms/useServerErrors';
import type { ApplicationFieldsFragment } from '../gql/graphql';

export function DeveloperApplicationPage() {
  const { data, loading, error, refetch } = useQuery(MyApplicationQuery, {
    fetchPolicy: 'cache-and-network',
  });
  const viewer = useViewer();
  if (loading && !data) return <PageSkeleton rows={2} />;
  if (error && !data) return <QueryError error={error} onRetry={() => void refetch()} />;
  const application = data?.viewer?.developerApplication ?? null;
  const firstOrg = viewer.organizations[0];
  // Without an organization the dashboard route leads to creating one: say so.
  const home = firstOrg ? `/orgs/${firstOrg.id}` : '/orgs/new';
  const canApply =
    !application || application.status === 'REJECTED' || application.status === 'CLOSED';

  return (
    <Stack maw={820}>
      <PageHeader
        title="Developer application"
        description="Portal staff review who may build on the APIs. Tell them what you will build; once approved you can create apps."
      />
      {viewer.platformRole === 'STAFF' ? (
        <Alert color="indigo" variant="light" icon={<IconCircleCheck size={18} />}>
          Portal staff can create apps without applying.
        </Alert>
      ) : null}
      {application?.status === 'APPROVED' ? (
        <Alert
          color="teal"
          variant="light"
          icon={<IconCircleCheck size={18} />}
          title="Your developer account is approved"
        >
          <Stack gap="xs" align="flex-start">
            <span>You can create apps and request API products.</span>
            <Button component={Link} to={home} size="xs" variant="light" color="teal">
              {firstOrg ? 'Go to the dashboard' : 'Create an organization'}
            </Button>
          </Stack>
        </Alert>
      ) : null}
      {application ? <ApplicationStatus application={application} /> : null}
      {canApply && viewer.platformRole !== 'STAFF' ? (
        <ApplyForm again={Boolean(application)} />
      ) : null}
    </Stack>
  );
}

function ApplicationStatus({ application }: { application: ApplicationFieldsFragment }) {
  return (
    <Card padding="lg">
      <Stack gap="md">
        <Group justify="space-between" align="flex-start">
          <div>
            <Title order={3} size="h4">
              Your application
            </Title>
            <Text size="sm" c="dimmed">
              Submitted {formatDate(application.createdAt)}
              {application.decidedAt ? ` · decided ${formatDate(application.decidedAt)}` : ''}
            </Text>
          </div>
          <ApplicationStatusBadge status={application.status} />
        </Group>
        {application.status === 'PENDING' ? (
          <Alert color="yellow" variant="light" icon={<IconClock size={18} />}>
            Waiting for review. You will get an email and a notification when staff decide or ask a
            question.
          </Alert>
        ) : null}
        {application.status === 'QUESTION' ? (
          <Alert
            color="blue"
            variant="light"
            icon={<IconMessageQuestion size={18} />}
            title="Staff asked a question"
          >
            Answer below to send your application back for review.
            {application.autoCloseAt
              ? ` Unanswered, it closes ${formatRelative(application.autoCloseAt)} (${formatDateTime(application.autoCloseAt)}).`
              : ''}
          </Alert>
        ) : null}
        {application.status === 'REJECTED' || application.status === 'CLOSED' ? (
          <Alert
            color={application.status === 'REJECTED' ? 'red' : 'gray'}
            variant="light"
            title={
              application.status === 'REJECTED'
                ? 'Your application was rejected'
                : 'Your application was closed'
            }
          >
            {application.reason ??
              (application.status === 'CLOSED'
                ? 'A question went unanswered for 14 days.'
                : 'No reason was given.')}{' '}
            You may apply again below.
          </Alert>
        ) : null}
        {application.status === 'APPROVED' && application.reason ? (
          <Text size="sm">
            <Text span fw={600} inherit>
              Note from staff:
            </Text>{' '}
            {application.reason}
          </Text>
        ) : null}
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <div style={{ gridColumn: 'span 2' }}>
            <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
              Use case
            </Text>
            <Text size="sm" className="portico-thread-bubble">
              {application.useCase}
            </Text>
          </div>
          <div>
            <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
              Company
            </Text>
            <Text size="sm">{application.companyName ?? '—'}</Text>
          </div>
        </SimpleGrid>
        <div>
          <Title order={4} size="h5" mb="xs">
            Questions and answers
          </Title>
          <ApplicationThread messages={application.messages} viewerSide="applicant" />
        </div>
        {application.status === 'QUESTION' ? <AnswerForm applicationId={application.id} /> : null}
      </Stack>
    </Card>
  );
}

function AnswerForm({ applicationId }: { applicationId: string }) {
  const [answer, { loading }] = useMutation(AnswerApplicationQuestionMutation);
  return (
    <ThreadMessageForm
      send={(body) => answer({ variables: { input: { applicationId, body } } })}
      sending={loading}
      label="Your answer"
      submitLabel="Send answer"
      submitIcon={<IconSend size={16} />}
      sent={{ title: 'Answer sent', message: 'Your application is back in the review queue.' }}
    />
  );
}

function ApplyForm({ again }: { again: boolean }) {
  const [apply, { loading }] = useMutation(ApplyForDeveloperAccountMutation, {
    refetchQueries: [MyApplicationQuery],
  });
  const form = useForm({ initialValues: { useCase: '', companyName: '' } });
  const server = useServerErrors(form);
  const useCase = form.getValues().useCase;
  const words = useCase.trim() ? useCase.trim().split(/\s+/).length : 0;

  const submit = form.onSubmit(async (values) => {
    server.clear();
    try {
      await apply({
        variables: {
          input: {
            useCase: values.useCase.trim(),
            companyName: values.companyName.trim() || null,
          },
        },
      });
      notifications.show({
        color: 'teal',
        title: 'Application submitted',
        message: 'Portal staff will review it. You will be notified of the decision.',
      });
    } catch (error) {
      server.apply(error);
    }
  });

  return (
    <Card padding="lg">
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <div>
            <Title order={3} size="h4">
              {again ? 'Apply again' : 'Apply for a developer account'}
            </Title>
            <Text size="sm" c="dimmed">
              Describe your project in detail: what you will build, who it is for and how it will
              use the APIs.
            </Text>
          </div>
          <FormAlert message={server.formError} />
          <Textarea
            label="Use case"
            description={`50 to 5000 characters, at least 8 words (${useCase.trim().length} characters, ${words} words).`}
            autosize
            minRows={5}
            maxRows={14}
            maxLength={5000}
            required
            {...form.getInputProps('useCase')}
          />
          <TextInput
            label="Company name"
            description="Optional."
            maxLength={200}
            {...form.getInputProps('companyName')}
          />
          <Group justify="flex-end">
            <Button type="submit" loading={loading}>
              Submit application
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}
