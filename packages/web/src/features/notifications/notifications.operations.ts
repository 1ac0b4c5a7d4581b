import { graphql } from '../../gql';

export const NotificationsQuery = graphql(`
  query Notifications {
    viewer {
      id
      unreadNotificationCount
      notifications(first: 20) {
        nodes {
          id
          kind
          title
          body
          link
          readAt
          createdAt
        }
      }
    }
  }
`);

export const MarkNotificationsReadMutation = graphql(`
  mutation MarkNotificationsRead($input: MarkNotificationsReadInput!) {
    markNotificationsRead(input: $input) {
      unreadNotificationCount
      notifications {
        id
        readAt
      }
    }
  }
`);
