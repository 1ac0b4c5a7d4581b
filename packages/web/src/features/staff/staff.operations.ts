import { graphql } from '../../gql';

export const MailOutboxQuery = graphql(`
  query MailOutbox($first: Int!, $after: String) {
    mailOutbox(first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        to
        subject
        text
        createdAt
      }
    }
  }
`);
