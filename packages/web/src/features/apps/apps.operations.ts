import { graphql } from '../../gql';

export const AppSettingsFragmentDoc = graphql(`
  fragment AppSettings on App {
    id
    name
    description
    websiteUrl
    callbackUrls
    termsOfServiceUrl
    privacyPolicyUrl
    organizationName
    organizationUrl
    useCase
    iconUrl
    permissionLevel
    threeLeggedOAuth
    requestEmail
    attributes {
      key
      value
    }
    status
    statusReason
    createdAt
    updatedAt
    viewerCanManage
    owner {
      id
      name
      email
    }
    project {
      id
      name
    }
  }
`);

export const AppQuery = graphql(`
  query App($id: ID!) {
    app(id: $id) {
      ...AppSettings
      organization {
        id
        name
        viewerRole
        projectsConnection(first: 100) {
          nodes {
            id
            name
          }
        }
      }
    }
  }
`);

export const NewAppQuery = graphql(`
  query NewApp($id: ID!) {
    organization(id: $id) {
      id
      name
      projectsConnection(first: 100) {
        nodes {
          id
          name
        }
      }
    }
    products {
      id
      name
      requiresProject
    }
  }
`);

export const CreateAppMutation = graphql(`
  mutation CreateApp($input: CreateAppInput!) {
    createApp(input: $input) {
      app {
        ...AppSettings
      }
    }
  }
`);

export const UpdateAppMutation = graphql(`
  mutation UpdateApp($input: UpdateAppInput!) {
    updateApp(input: $input) {
      app {
        ...AppSettings
      }
    }
  }
`);

export const DeleteAppMutation = graphql(`
  mutation DeleteApp($input: DeleteAppInput!) {
    deleteApp(input: $input) {
      deletedAppId
    }
  }
`);

export const SuspendAppMutation = graphql(`
  mutation SuspendApp($input: SuspendAppInput!) {
    suspendApp(input: $input) {
      app {
        id
        status
        statusReason
        updatedAt
      }
    }
  }
`);

export const UnsuspendAppMutation = graphql(`
  mutation UnsuspendApp($input: UnsuspendAppInput!) {
    unsuspendApp(input: $input) {
      app {
        id
        status
        statusReason
        updatedAt
      }
    }
  }
`);
