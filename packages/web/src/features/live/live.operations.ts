import { graphql } from '../../gql';

export const ReviewQueueEventsSubscription = graphql(`
  subscription ReviewQueueEvents($after: ID) {
    reviewQueueEvents(after: $after) {
      id
      kind
      subjectId
      createdAt
      decidedBy {
        id
        name
      }
      grant {
        id
        status
        app {
          id
          name
        }
        product {
          id
          name
        }
      }
      application {
        id
        status
        user {
          id
          name
        }
      }
    }
  }
`);

export const OrganizationEventsSubscription = graphql(`
  subscription OrganizationEvents($organizationId: ID!, $after: ID) {
    organizationEvents(organizationId: $organizationId, after: $after) {
      id
      kind
      subjectId
      createdAt
      grant {
        id
        status
        app {
          id
        }
      }
    }
  }
`);

export const ViewerEventsSubscription = graphql(`
  subscription ViewerEvents($after: ID) {
    viewerEvents(after: $after) {
      id
      kind
      subjectId
      createdAt
      notification {
        id
        title
        body
        link
      }
      application {
        id
        status
      }
    }
  }
`);
