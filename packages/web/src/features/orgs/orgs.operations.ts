import { graphql } from '../../gql';

export const CreateOrganizationMutation = graphql(`
  mutation CreateOrganization($input: CreateOrganizationInput!) {
    createOrganization(input: $input) {
      organization {
        id
        name
        slug
        kind
        viewerRole
      }
    }
  }
`);

export const DashboardQuery = graphql(`
  query Dashboard($id: ID!) {
    organization(id: $id) {
      id
      name
      slug
      kind
      verifiedAt
      viewerRole
      projects {
        id
        name
        description
        useCase
        apps {
          ...AppRow
        }
      }
      standaloneApps {
        ...AppRow
      }
    }
  }
`);
