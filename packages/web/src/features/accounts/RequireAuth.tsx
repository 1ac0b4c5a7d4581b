import { useQuery } from '@apollo/client/react';
import { Center, Container, Loader } from '@mantine/core';
import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { QueryError } from '../common/states';
import { ViewerQuery } from './viewer';

/** Renders children for a signed-in user; sends everyone else to /signin?next=<here>. */
export function RequireAuth({ children }: { children: ReactNode }) {
  const { data, loading, error, refetch } = useQuery(ViewerQuery);
  const location = useLocation();
  if (loading && !data) {
    return (
      <Center mih="100vh">
        <Loader aria-label="Loading" />
      </Center>
    );
  }
  if (error && !data) {
    return (
      <Container size="sm" py="xl">
        <QueryError error={error} title="Could not reach Portico" onRetry={() => void refetch()} />
      </Container>
    );
  }
  if (!data?.viewer) {
    const next = `${location.pathname}${location.search}`;
    return <Navigate to={`/signin?next=${encodeURIComponent(next)}`} replace />;
  }
  return children;
}
