import { useApolloClient } from '@apollo/client/react';
import { notifications } from '@mantine/notifications';
import { ViewerQuery } from '../accounts/viewer';
import { MyApplicationQuery } from '../applications/applications.operations';
import { AppLiveStatusQuery } from '../grants/grants.operations';
import { NotificationsQuery } from '../notifications/notifications.operations';
import { OrganizationEventsSubscription, ViewerEventsSubscription } from './live.operations';
import { useLiveEvents } from './useLiveEvents';

/**
 * Keeps the apps of the organization on screen current: on every grant event of the
 * organization the affected app (status and grants) is fetched again, so the dashboard and the
 * app page change without a reload.
 */
export function useOrganizationLiveUpdates(organizationId: string | null): void {
  const client = useApolloClient();
  useLiveEvents({
    subscription: OrganizationEventsSubscription,
    variables: { organizationId: organizationId ?? '' },
    skip: !organizationId,
    select: (data) => data.organizationEvents,
    onEvent: (event) => {
      const appId = event.grant?.app.id;
      if (appId) {
        void client
          .query({
            query: AppLiveStatusQuery,
            variables: { id: appId },
            fetchPolicy: 'network-only',
          })
          .catch(() => undefined);
      }
    },
    onPoll: () => {
      void client.refetchQueries({ include: ['Dashboard', 'App', 'AppGrants'] });
    },
  });
}

/** Notifications and the viewer's developer application, live. */
export function useViewerLiveUpdates(): void {
  const client = useApolloClient();
  useLiveEvents({
    subscription: ViewerEventsSubscription,
    variables: {},
    select: (data) => data.viewerEvents,
    onEvent: (event) => {
      if (event.notification) {
        void client
          .query({ query: NotificationsQuery, fetchPolicy: 'network-only' })
          .catch(() => undefined);
        notifications.show({
          color: 'indigo',
          title: event.notification.title,
          message: event.notification.body,
        });
      }
      if (event.application) {
        void client
          .refetchQueries({ include: [ViewerQuery, MyApplicationQuery] })
          .catch(() => undefined);
      }
    },
    onPoll: () => {
      void client.refetchQueries({ include: [NotificationsQuery] });
    },
  });
}
