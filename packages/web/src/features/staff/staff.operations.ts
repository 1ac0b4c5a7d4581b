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
        status
        attempts
        nextAttemptAt
        sentAt
        lastError
      }
    }
  }
`);

export const ReasonTemplatesQuery = graphql(`
  query ReasonTemplates {
    reasonTemplates {
      id
      title
      text
    }
  }
`);

export const CreateReasonTemplateMutation = graphql(`
  mutation CreateReasonTemplate($input: CreateReasonTemplateInput!) {
    createReasonTemplate(input: $input) {
      reasonTemplate {
        id
        title
        text
      }
    }
  }
`);

export const DeleteReasonTemplateMutation = graphql(`
  mutation DeleteReasonTemplate($input: DeleteReasonTemplateInput!) {
    deleteReasonTemplate(input: $input) {
      deletedReasonTemplateId
    }
  }
`);
