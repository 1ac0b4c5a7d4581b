import { Skeleton, Stack } from '@mantine/core';
import { lazy, Suspense } from 'react';

// Scalar (and the Vue runtime it brings) loads only when a reference is opened.
const ApiReferenceView = lazy(() =>
  import('./ApiReferenceView').then((m) => ({ default: m.ApiReferenceView })),
);

function ReferenceSkeleton() {
  return (
    <Stack gap="md" aria-busy="true" aria-label="Loading the API reference">
      <Skeleton height={28} width="35%" />
      <Skeleton height={14} width="70%" />
      <Skeleton height={220} />
      <Skeleton height={220} />
    </Stack>
  );
}

/** The interactive OpenAPI reference of a product, fetched on demand. */
export function LazyApiReference({ document }: { document: string }) {
  return (
    <Suspense fallback={<ReferenceSkeleton />}>
      <ApiReferenceView document={document} />
    </Suspense>
  );
}
