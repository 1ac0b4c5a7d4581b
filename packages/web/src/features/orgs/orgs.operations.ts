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
      projectsConnection(first: 100) {
        totalCount
        nodes {
          id
          name
          description
          useCase
          appsConnection(first: 25) {
            totalCount
            nodes {
              ...AppRow
            }
          }
        }
      }
      standaloneAppsConnection(first: 100) {
        totalCount
        nodes {
          ...AppRow
        }
      }
      allApps: appsConnection(first: 1) {
        totalCount
      }
      activeApps: appsConnection(status: ACTIVE, first: 1) {
        totalCount
      }
    }
  }
`);
