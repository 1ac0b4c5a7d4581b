import { graphql } from '../../gql';

export const ApplicationFieldsFragmentDoc = graphql(`
  fragment ApplicationFields on DeveloperApplication {
    id
    status
    useCase
    companyName
    reason
    createdAt
    updatedAt
    decidedAt
    questionAskedAt
    autoCloseAt
    messages {
      id
      body
      fromStaff
      createdAt
      author {
        id
        name
      }
    }
  }
`);

export const MyApplicationQuery = graphql(`
  query MyApplication {
    viewer {
      id
      canCreateApps
      platformRole
      developerApplication {
        ...ApplicationFields
      }
    }
  }
`);

export const ApplyForDeveloperAccountMutation = graphql(`
  mutation ApplyForDeveloperAccount($input: ApplyForDeveloperAccountInput!) {
    applyForDeveloperAccount(input: $input) {
      application {
        ...ApplicationFields
      }
    }
  }
`);

export const AnswerApplicationQuestionMutation = graphql(`
  mutation AnswerApplicationQuestion($input: AnswerApplicationQuestionInput!) {
    answerApplicationQuestion(input: $input) {
      application {
        ...ApplicationFields
      }
    }
  }
`);

export const StaffApplicationQuery = graphql(`
  query StaffApplication($id: ID!) {
    node(id: $id) {
      id
      ... on DeveloperApplication {
        ...ApplicationFields
        decidedBy {
          id
          name
        }
        user {
          id
          name
          email
          createdAt
          emailVerified
        }
      }
    }
  }
`);

export const DecideApplicationMutation = graphql(`
  mutation DecideApplication($input: DecideApplicationInput!) {
    decideApplication(input: $input) {
      application {
        ...ApplicationFields
        decidedBy {
          id
          name
        }
      }
    }
  }
`);

export const AskApplicationQuestionMutation = graphql(`
  mutation AskApplicationQuestion($input: AskApplicationQuestionInput!) {
    askApplicationQuestion(input: $input) {
      application {
        ...ApplicationFields
      }
    }
  }
`);
