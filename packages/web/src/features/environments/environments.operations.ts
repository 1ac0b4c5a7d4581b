import { graphql } from '../../gql';

export const DevEnvironmentFieldsFragmentDoc = graphql(`
  fragment DevEnvironmentFields on DevEnvironment {
    id
    label
    createdAt
    updatedAt
    product {
      id
      name
    }
    app {
      id
      name
    }
  }
`);

export const EnvironmentsQuery = graphql(`
  query Environments($organizationId: ID!) {
    organization(id: $organizationId) {
      id
      name
      viewerRole
      devEnvironments {
        ...DevEnvironmentFields
      }
      appsConnection(first: 100) {
        nodes {
          id
          name
        }
      }
      planSubscriptions {
        id
        product {
          id
        }
        plan {
          id
          name
          maxDevEnvironments
        }
      }
    }
    products {
      id
      name
      archivedAt
    }
    plans {
      id
      name
      rank
      maxDevEnvironments
    }
  }
`);

export const CreateDevEnvironmentMutation = graphql(`
  mutation CreateDevEnvironment($input: CreateDevEnvironmentInput!) {
    createDevEnvironment(input: $input) {
      devEnvironment {
        ...DevEnvironmentFields
      }
    }
  }
`);

export const UpdateDevEnvironmentMutation = graphql(`
  mutation UpdateDevEnvironment($input: UpdateDevEnvironmentInput!) {
    updateDevEnvironment(input: $input) {
      devEnvironment {
        ...DevEnvironmentFields
      }
    }
  }
`);

export const DeleteDevEnvironmentMutation = graphql(`
  mutation DeleteDevEnvironment($input: DeleteDevEnvironmentInput!) {
    deleteDevEnvironment(input: $input) {
      deletedDevEnvironmentId
    }
  }
`);
