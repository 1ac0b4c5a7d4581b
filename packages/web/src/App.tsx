import { ApolloProvider } from '@apollo/client/react';
import { MantineProvider } from '@mantine/core';
import { lazy, Suspense } from 'react';
import { RouterProvider } from 'react-router';
import { createApolloClient } from './apollo/client';
import { router } from './router';
import { theme } from './theme';

const client = createApolloClient();

// The toast container (and its transitions) loads after the first paint; `notifications.show`
// only needs the small store, which pages import themselves.
const Notifications = lazy(() =>
  import('@mantine/notifications').then((m) => ({ default: m.Notifications })),
);

export function App() {
  return (
    <MantineProvider theme={theme} defaultColorScheme="auto">
      <ApolloProvider client={client}>
        <Suspense fallback={null}>
          <Notifications position="bottom-right" />
        </Suspense>
        <RouterProvider router={router} />
      </ApolloProvider>
    </MantineProvider>
  );
}
