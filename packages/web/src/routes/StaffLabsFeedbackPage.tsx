import { useMutation, useQuery } from '@apollo/client/react';
import {
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  SegmentedControl,
  Stack,
  Text,
  Textarea,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconMessageCircle } from '@tabler/icons-react';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import {
  AnswerLabsFeedbackMutation,
  CloseLabsFeedbackMutation,
  StaffLabsFeedbackQuery,
} from '../features/catalogue/catalogue.operations';
import { stars } from '../features/catalogue/catalogueFormat';
import { formatDateTime } from '../features/common/format';
import { PageHeader } from '../features/common/PageHeader';
import { Empty, FormAlert, PageSkeleton, QueryError } from '../features/common/states';
import { errorMessage } from '../features/forms/serverErrors';
import type { LabsFeedbackFieldsFragment, FeedbackStatus } from '../gql/graphql';

const FILTERS = ['OPEN', 'ANSWERED', 'CLOSED', 'ALL'] as const;
type Filter = (typeof FILTERS)[number];
const isFilter = (value: string | null): value is Filter => FILTERS.some((f) => f === value);
const STATUS_COLORS: Record<string, string> = { OPEN: 'blue', ANSWERED: 'teal', CLOSED: 'gray' };

/** Staff: read, answer and close the feedback developers send on Labs products. */
export function StaffLabsFeedbackPage() {
  const [params, setParams] = useSearchParams();
  const param = params.get('status');
  const filter: Filter = isFilter(param) ? param : 'OPEN';
  const status: FeedbackStatus | null = filter === 'ALL' ? null : filter;
  const { data, loading, error, refetch } = useQuery(StaffLabsFeedbackQuery, {
    variables: { status },
    fetchPolicy: 'cache-and-network',
  });
  const items = data?.labsFeedback ?? [];

  return (
    <>
      <PageHeader
        title="Labs feedback"
        description="What developers think of the Labs products. Your answer reaches them by email and in-app."
        actions={
          <SegmentedControl
            value={filter}
            onChange={(value) => setParams(value === 'OPEN' ? {} : { status: value })}
            data={[
              { value: 'OPEN', label: 'Open' },
              { value: 'ANSWERED', label: 'Answered' },
              { value: 'CLOSED', label: 'Closed' },
              { value: 'ALL', label: 'All' },
            ]}
          />
        }
      />
      {loading && !data ? (
        <PageSkeleton rows={2} />
      ) : error && !data ? (
        <QueryError error={error} onRetry={() => void refetch()} />
      ) : items.length === 0 ? (
        <Empty
          icon={<IconMessageCircle size={28} />}
          title={filter === 'OPEN' ? 'Nothing waits for an answer' : 'No feedback here'}
          description="Feedback appears here when developers send it from the Labs page."
        />
      ) : (
        <Stack gap="md">
          {items.map((item) => (
            <FeedbackCard key={item.id} item={item} />
          ))}
        </Stack>
      )}
    </>
  );
}

function FeedbackCard({ item }: { item: LabsFeedbackFieldsFragment }) {
  const [answer, setAnswer] = useState('');
  const [failure, setFailure] = useState<string | null>(null);
  const [answerFeedback, answering] = useMutation(AnswerLabsFeedbackMutation, {
    refetchQueries: [StaffLabsFeedbackQuery],
  });
  const [closeFeedback, closing] = useMutation(CloseLabsFeedbackMutation, {
    refetchQueries: [StaffLabsFeedbackQuery],
  });
  const run = async (action: () => Promise<unknown>, done: string) => {
    setFailure(null);
    try {
      await action();
      setAnswer('');
      notifications.show({
        color: 'teal',
        title: done,
        message: `Feedback from ${item.authorName ?? 'a developer'}.`,
      });
    } catch (error) {
      setFailure(errorMessage(error));
    }
  };
  const reply = (close: boolean) =>
    run(
      () => answerFeedback({ variables: { input: { feedbackId: item.id, answer, close } } }),
      close ? 'Answered and closed' : 'Answered',
    );

  return (
    <Card
      padding="lg"
      component="article"
      aria-label={`Feedback from ${item.authorName ?? 'a developer'}`}
    >
      <Group justify="space-between" wrap="nowrap" align="flex-start" mb="xs">
        <div>
          <Group gap="xs">
            <Anchor component={Link} to={`/docs/${item.product.slug}`} fw={600}>
              {item.product.name}
            </Anchor>
            <Text c="yellow.7" aria-label={`Rated ${item.rating} of 5`}>
              {stars(item.rating)}
            </Text>
            {item.endpointMethod && item.endpointPath ? (
              <Text size="xs" c="dimmed" className="portico-mono">
                {item.endpointMethod} {item.endpointPath}
              </Text>
            ) : null}
          </Group>
          <Text size="xs" c="dimmed">
            {item.authorName ?? 'Unknown'}
            {item.authorEmail ? ` <${item.authorEmail}>` : ''} · {formatDateTime(item.createdAt)}
          </Text>
        </div>
        <Badge color={STATUS_COLORS[item.status] ?? 'gray'} variant="light">
          {item.status.toLowerCase()}
        </Badge>
      </Group>
      <Text size="sm" className="portico-thread-bubble">
        {item.text}
      </Text>
      {item.answer ? (
        <Card mt="sm" padding="sm" bg="var(--mantine-color-teal-light)">
          <Text size="xs" fw={600} mb={2}>
            Your team answered{item.answeredAt ? ` · ${formatDateTime(item.answeredAt)}` : ''}
          </Text>
          <Text size="sm" className="portico-thread-bubble">
            {item.answer}
          </Text>
        </Card>
      ) : null}
      {item.status === 'CLOSED' ? null : (
        <Stack gap="xs" mt="md">
          <FormAlert message={failure} />
          <Textarea
            aria-label="Answer"
            placeholder={item.answer ? 'Add to your answer' : 'Answer the developer'}
            autosize
            minRows={2}
            maxLength={5000}
            value={answer}
            onChange={(event) => setAnswer(event.currentTarget.value)}
          />
          <Group justify="flex-end" gap="xs">
            <Button
              variant="subtle"
              color="gray"
              loading={closing.loading}
              onClick={() =>
                void run(
                  () => closeFeedback({ variables: { input: { feedbackId: item.id } } }),
                  'Closed',
                )
              }
            >
              Close
            </Button>
            <Button
              variant="default"
              disabled={!answer.trim()}
              loading={answering.loading}
              onClick={() => void reply(true)}
            >
              Answer and close
            </Button>
            <Button
              disabled={!answer.trim()}
              loading={answering.loading}
              onClick={() => void reply(false)}
            >
              Answer
            </Button>
          </Group>
        </Stack>
      )}
    </Card>
  );
}
