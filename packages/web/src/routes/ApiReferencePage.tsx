import { useQuery } from '@apollo/client/react';
import { IconApi } from '@tabler/icons-react';
import { useParams } from 'react-router';
import { ViewerQuery } from '../features/accounts/viewer';
import { ApiReferenceQuery } from '../features/catalogue/catalogue.operations';
import { LazyApiReference } from '../features/catalogue/LazyApiReference';
import { SignInToRead } from '../features/catalogue/SignInToRead';
import { PageBreadcrumbs } from '../features/common/Breadcrumbs';
import { PageHeader } from '../features/common/PageHeader';
import { Empty, PageSkeleton, QueryError } from '../features/common/states';
import { errorCode } from '../features/forms/serverErrors';
import { NotFoundPage } from './NotFoundPage';

/** The product's published OpenAPI description, drawn by Scalar (loaded on demand). */
export function ApiReferencePage() {
  const { productSlug = '' } = useParams();
  const viewer = useQuery(ViewerQuery, { fetchPolicy: 'cache-first' }).data?.viewer ?? null;
  const { data, loading, error, refetch } = useQuery(ApiReferenceQuery, {
    variables: { slug: productSlug },
    fetchPolicy: 'cache-and-network',
  });
  if (loading && !data) return <PageSkeleton rows={3} />;
  if (error && !data) {
    if (errorCode(error) === 'NOT_FOUND') return viewer ? <NotFoundPage /> : <SignInToRead />;
    return <QueryError error={error} onRetry={() => void refetch()} />;
  }
  const product = data?.catalogueProduct;
  if (!product) return viewer ? <NotFoundPage /> : <SignInToRead />;
  const published = product.openApi?.published;
  return (
    <>
      <PageHeader
        above={
          <PageBreadcrumbs
            items={[
              { label: 'API docs', to: '/docs' },
              { label: product.name, to: `/docs/${product.slug}` },
              { label: 'API reference' },
            ]}
          />
        }
        title={`${product.name} API reference`}
        description={published ? `OpenAPI description, version ${published.number}.` : undefined}
      />
      {published ? (
        <LazyApiReference document={published.source} />
      ) : (
        <Empty
          icon={<IconApi size={28} />}
          title="No API reference yet"
          description="The product has no published OpenAPI description."
        />
      )}
    </>
  );
}
