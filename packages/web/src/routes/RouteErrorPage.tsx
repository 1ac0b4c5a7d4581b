import { Button, Center, Container, Stack } from '@mantine/core';
import { isRouteErrorResponse, useRouteError } from 'react-router';
import { QueryError } from '../features/common/states';

/** Shown when a page fails to load (a stale chunk after a deploy, a render error). */
export function RouteErrorPage() {
  const error = useRouteError();
  const described = isRouteErrorResponse(error)
    ? new Error(`${error.status} ${error.statusText}`)
    : error;
  return (
    <Center mih="100vh">
      <Container size="sm" w="100%">
        <Stack>
          <QueryError error={described} title="Something went wrong" />
          <Button variant="default" onClick={() => window.location.reload()}>
            Reload the page
          </Button>
        </Stack>
      </Container>
    </Center>
  );
}
