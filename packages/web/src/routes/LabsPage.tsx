import { useMutation, useQuery } from '@apollo/client/react';
import {
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  Modal,
  SimpleGrid,
  Stack,
  Text,
  ThemeIcon,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconFlask, IconMessageCircle, IconPlayerPlay } from '@tabler/icons-react';
import { Link, useSearchParams } from 'react-router';
import { LabsQuery, SendLabsFeedbackMutation } from '../features/catalogue/catalogue.operations';
import { stars } from '../features/catalogue/catalogueFormat';
import { LabsFeedbackForm } from '../features/catalogue/LabsFeedbackForm';
import { ProductBadges } from '../features/catalogue/ProductBadges';
import { formatDate } from '../features/common/format';
import { PageHeader } from '../features/common/PageHeader';
import { Empty, PageSkeleton, QueryError } from '../features/common/states';
import type { LabsQuery as LabsResult } from '../gql/graphql';

type LabsProduct = LabsResult['labsProducts'][number];

const STATUS_COLORS: Record<string, string> = { OPEN: 'blue', ANSWERED: 'teal', CLOSED: 'gray' };

/** Labs: experimental products open to any approved developer, and the feedback you sent. */
export function LabsPage() {
  const [params, setParams] = useSearchParams();
  const { data, loading, error, refetch } = useQuery(LabsQuery, {
    fetchPolicy: 'cache-and-network',
  });
  const [send] = useMutation(SendLabsFeedbackMutation, { refetchQueries: [LabsQuery] });
  if (loading && !data) return <PageSkeleton rows={2} />;
  if (error && !data) return <QueryError error={error} onRetry={() => void refetch()} />;
  const products = data?.labsProducts ?? [];
  const feedback = data?.labsFeedback ?? [];
  const openSlug = params.get('product');
  const open = products.find((product) => product.slug === openSlug) ?? null;
  const close = () => setParams({}, { replace: true });

  return (
    <>
      <PageHeader
        title="Labs"
        description="Experimental APIs, open to every approved developer. They may change or go away: tell us what works and what does not."
      />
      <Stack gap="xl">
        {products.length === 0 ? (
          <Empty
            icon={<IconFlask size={28} />}
            title="No experiments right now"
            description="Labs products appear here when the API provider opens one."
          />
        ) : (
          <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
            {products.map((product) => (
              <LabsCard
                key={product.id}
                product={product}
                onFeedback={() => setParams({ product: product.slug }, { replace: true })}
              />
            ))}
          </SimpleGrid>
        )}
        <section aria-labelledby="your-feedback">
          <Title order={3} size="h4" id="your-feedback" mb="sm">
            Your feedback
          </Title>
          {feedback.length === 0 ? (
            <Text size="sm" c="dimmed">
              You have not sent feedback yet.
            </Text>
          ) : (
            <Stack gap="sm">
              {feedback.map((item) => (
                <Card key={item.id} padding="md" component="article">
                  <Group justify="space-between" wrap="nowrap" mb={4}>
                    <Group gap="xs">
                      <Text fw={600} size="sm">
                        {item.product.name}
                      </Text>
                      <Text size="sm" c="yellow.7" aria-label={`Rated ${item.rating} of 5`}>
                        {stars(item.rating)}
                      </Text>
                      {item.endpointMethod && item.endpointPath ? (
                        <Text size="xs" c="dimmed" className="portico-mono">
                          {item.endpointMethod} {item.endpointPath}
                        </Text>
                      ) : null}
                    </Group>
                    <Badge color={STATUS_COLORS[item.status] ?? 'gray'} variant="light">
                      {item.status.toLowerCase()}
                    </Badge>
                  </Group>
                  <Text size="sm" className="portico-thread-bubble">
                    {item.text}
                  </Text>
                  <Text size="xs" c="dimmed" mt={4}>
                    Sent {formatDate(item.createdAt)}
                  </Text>
                  {item.answer ? (
                    <Card mt="sm" padding="sm" bg="var(--mantine-color-teal-light)">
                      <Text size="xs" fw={600} mb={2}>
                        Answer from the API team
                        {item.answeredAt ? ` · ${formatDate(item.answeredAt)}` : ''}
                      </Text>
                      <Text size="sm" className="portico-thread-bubble">
                        {item.answer}
                      </Text>
                    </Card>
                  ) : null}
                </Card>
              ))}
            </Stack>
          )}
        </section>
      </Stack>
      <Modal
        opened={open !== null}
        onClose={close}
        title={open ? `Feedback on ${open.name}` : ''}
        size="lg"
      >
        {open ? (
          <LabsFeedbackForm
            endpoints={open.endpoints}
            initialEndpoint={params.get('endpoint') ?? undefined}
            onSubmit={async (values) => {
              await send({ variables: { input: { productId: open.id, ...values } } });
              close();
              notifications.show({
                color: 'teal',
                title: 'Thank you',
                message: 'Your feedback reached the API team.',
              });
            }}
          />
        ) : null}
      </Modal>
    </>
  );
}

function LabsCard({ product, onFeedback }: { product: LabsProduct; onFeedback: () => void }) {
  const first = product.endpoints[0];
  return (
    <Card padding="lg" component="article" aria-labelledby={`labs-${product.id}`}>
      <Stack gap="sm" h="100%">
        <Group gap="sm" wrap="nowrap" align="flex-start">
          <ThemeIcon variant="light" color="grape" radius="md" size="lg">
            <IconFlask size={18} />
          </ThemeIcon>
          <div style={{ minWidth: 0 }}>
            <Title order={3} size="h4" id={`labs-${product.id}`}>
              <Anchor component={Link} to={`/docs/${product.slug}`} inherit>
                {product.name}
              </Anchor>
            </Title>
            <Text size="xs" c="dimmed" className="portico-mono">
              {product.slug}
            </Text>
          </div>
        </Group>
        <Text size="sm" c={product.description ? undefined : 'dimmed'}>
          {product.description || 'No description.'}
        </Text>
        <ProductBadges product={product} />
        <Group gap="xs" mt="auto" pt="sm">
          <Button
            component={Link}
            to={
              first ? `/docs/${product.slug}/endpoints/${first.id}#try-it` : `/docs/${product.slug}`
            }
            size="xs"
            leftSection={<IconPlayerPlay size={14} />}
          >
            Try it
          </Button>
          <Button
            size="xs"
            variant="light"
            color="grape"
            leftSection={<IconMessageCircle size={14} />}
            onClick={onFeedback}
          >
            Send feedback
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}
