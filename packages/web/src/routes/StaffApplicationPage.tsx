import { useMutation, useQuery } from '@apollo/client/react';
import { Alert, Button, Card, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { IconCheck, IconMessageQuestion, IconX } from '@tabler/icons-react';
import { useState } from 'react';
import { useParams } from 'react-router';
import { useViewer } from '../features/accounts/viewer';
import { ApplicationStatusBadge } from '../features/applications/ApplicationStatusBadge';
import { ApplicationThread } from '../features/applications/ApplicationThread';
import { ThreadMessageForm } from '../features/applications/ThreadMessageForm';
import {
  AskApplicationQuestionMutation,
  StaffApplicationQuery,
} from '../features/applications/applications.operations';
import { PageBreadcrumbs } from '../features/common/Breadcrumbs';
import { formatDate, formatDateTime, formatRelative } from '../features/common/format';
import { PageHeader } from '../features/common/PageHeader';
import { Empty, PageSkeleton, QueryError } from '../features/common/states';
import { DecisionModal, type DecisionTarget } from '../features/grants/DecisionModal';
import { NotFoundPage } from './NotFoundPage';

export function StaffApplicationPage() {
  const viewer = useViewer();
  if (viewer.platformRole !== 'STAFF') {
    return <Empty title="Staff only" description="Developer applications are reviewed by staff." />;
  }
  return <ApplicationReview />;
}

function ApplicationReview() {
  const { applicationId = '' } = useParams();
  const { data, loading, error, refetch } = useQuery(StaffApplicationQuery, {
    variables: { id: applicationId },
    fetchPolicy: 'cache-and-network',
  });
  const [decision, setDecision] = useState<DecisionTarget | null>(null);
  if (loading && !data) return <PageSkeleton rows={2} />;
  if (error && !data) return <QueryError error={error} onRetry={() => void refetch()} />;
  const application = data?.node?.__typename === 'DeveloperApplication' ? data.node : null;
  if (!application) return <NotFoundPage />;
  const open = application.status === 'PENDING' || application.status === 'QUESTION';
  const label = `${application.user.name}'s application`;

  return (
    <Stack maw={900}>
      <PageHeader
        above={
          <PageBreadcrumbs
            items={[
              { label: 'Review queue', to: '/staff/review' },
              { label: application.user.name },
            ]}
          />
        }
        title={`Developer application: ${application.user.name}`}
        description={
          <Group gap="xs">
            <ApplicationStatusBadge status={application.status} />
            <span>
              Submitted {formatDateTime(application.createdAt)} ·{' '}
              {formatRelative(application.createdAt)}
            </span>
          </Group>
        }
        actions={
          open ? (
            <>
              <Button
                color="teal"
                leftSection={<IconCheck size={16} />}
                onClick={() =>
                  setDecision({
                    decision: 'APPROVE',
                    grantIds: [],
                    applicationIds: [application.id],
                    label,
                  })
                }
              >
                Approve
              </Button>
              <Button
                color="red"
                variant="light"
                leftSection={<IconX size={16} />}
                onClick={() =>
                  setDecision({
                    decision: 'REJECT',
                    grantIds: [],
                    applicationIds: [application.id],
                    label,
                  })
                }
              >
                Reject
              </Button>
            </>
          ) : null
        }
      />
      {!open ? (
        <Alert color={application.status === 'APPROVED' ? 'teal' : 'gray'} variant="light">
          {application.status === 'APPROVED'
            ? 'Approved'
            : application.status === 'REJECTED'
              ? 'Rejected'
              : 'Closed'}
          {application.decidedBy ? ` by ${application.decidedBy.name}` : ''}
          {application.decidedAt ? ` on ${formatDate(application.decidedAt)}` : ''}
          {application.reason ? `: ${application.reason}` : '.'}
        </Alert>
      ) : null}
      <Card padding="lg">
        <SimpleGrid cols={{ base: 1, sm: 3 }} mb="md">
          <div>
            <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
              Applicant
            </Text>
            <Text size="sm">{application.user.name}</Text>
            <Text size="xs" c="dimmed">
              {application.user.email} ·{' '}
              {application.user.emailVerified ? 'verified' : 'unverified'} email
            </Text>
          </div>
          <div>
            <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
              Company
            </Text>
            <Text size="sm">{application.companyName ?? '—'}</Text>
          </div>
          <div>
            <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
              Account created
            </Text>
            <Text size="sm">{formatDate(application.user.createdAt)}</Text>
          </div>
        </SimpleGrid>
        <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
          Use case
        </Text>
        <Text size="sm" className="portico-thread-bubble">
          {application.useCase}
        </Text>
      </Card>
      <Card padding="lg">
        <Title order={3} size="h4" mb="sm">
          Thread
        </Title>
        {application.status === 'QUESTION' && application.autoCloseAt ? (
          <Text size="sm" c="dimmed" mb="sm">
            Waiting for the applicant's answer; closes {formatRelative(application.autoCloseAt)} if
            unanswered.
          </Text>
        ) : null}
        <ApplicationThread
          messages={application.messages}
          viewerSide="staff"
          applicantName={application.user.name}
        />
        {open ? <AskQuestionForm applicationId={application.id} /> : null}
      </Card>
      <DecisionModal
        target={decision}
        onClose={() => setDecision(null)}
        onDecided={() => {
          setDecision(null);
          void refetch();
        }}
      />
    </Stack>
  );
}

function AskQuestionForm({ applicationId }: { applicationId: string }) {
  const [ask, { loading }] = useMutation(AskApplicationQuestionMutation);
  return (
    <ThreadMessageForm
      send={(body) => ask({ variables: { input: { applicationId, body } } })}
      sending={loading}
      label="Question"
      description="The applicant is emailed and has 14 days to answer."
      submitLabel="Ask a question"
      submitIcon={<IconMessageQuestion size={16} />}
      submitVariant="light"
      sent={{ title: 'Question sent', message: 'The applicant has 14 days to answer.' }}
      mt="lg"
    />
  );
}
