import { useQuery } from '@apollo/client/react';
import { Card, Text } from '@mantine/core';
import { useParams } from 'react-router';
import { ViewerQuery } from '../features/accounts/viewer';
import { GuideQuery } from '../features/catalogue/catalogue.operations';
import { MarkdownView } from '../features/catalogue/MarkdownView';
import { SignInToRead } from '../features/catalogue/SignInToRead';
import { PageBreadcrumbs } from '../features/common/Breadcrumbs';
import { formatDate } from '../features/common/format';
import { PageHeader } from '../features/common/PageHeader';
import { PageSkeleton, QueryError } from '../features/common/states';
import { errorCode } from '../features/forms/serverErrors';
import { NotFoundPage } from './NotFoundPage';

/** A published guide of a product (quick start, migration guide …). */
export function GuidePage() {
  const { productSlug = '', guideSlug = '' } = useParams();
  const viewer = useQuery(ViewerQuery, { fetchPolicy: 'cache-first' }).data?.viewer ?? null;
  const { data, loading, error, refetch } = useQuery(GuideQuery, {
    variables: { slug: productSlug, guideSlug },
    fetchPolicy: 'cache-and-network',
  });
  if (loading && !data) return <PageSkeleton rows={3} />;
  if (error && !data) {
    if (errorCode(error) === 'NOT_FOUND') return viewer ? <NotFoundPage /> : <SignInToRead />;
    return <QueryError error={error} onRetry={() => void refetch()} />;
  }
  const product = data?.catalogueProduct;
  const guide = product?.document;
  const published = guide?.published;
  if (!product || !guide || !published) return viewer ? <NotFoundPage /> : <SignInToRead />;
  return (
    <>
      <PageHeader
        above={
          <PageBreadcrumbs
            items={[
              { label: 'API docs', to: '/docs' },
              { label: product.name, to: `/docs/${product.slug}?tab=guides` },
              { label: guide.title },
            ]}
          />
        }
        title={guide.title}
        description={
          published.publishedAt ? (
            <Text size="sm" c="dimmed">
              Version {published.number} · published {formatDate(published.publishedAt)}
            </Text>
          ) : null
        }
      />
      <Card padding="xl" component="article">
        <MarkdownView html={published.html} label={guide.title} />
      </Card>
    </>
  );
}
