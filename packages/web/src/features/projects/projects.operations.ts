import { graphql } from '../../gql';

export const CreateProjectMutation = graphql(`
  mutation CreateProject($input: CreateProjectInput!) {
    createProject(input: $input) {
      project {
        id
        name
        description
        useCase
      }
    }
  }
`);

export const UpdateProjectMutation = graphql(`
  mutation UpdateProject($input: UpdateProjectInput!) {
    updateProject(input: $input) {
      project {
        id
        name
        description
        useCase
        updatedAt
      }
    }
  }
`);

export const DeleteProjectMutation = graphql(`
  mutation DeleteProject($input: DeleteProjectInput!) {
    deleteProject(input: $input) {
      deletedProjectId
    }
  }
`);

export const ProjectQuery = graphql(`
  query Project($id: ID!, $appsAfter: String) {
    project(id: $id) {
      id
      name
      description
      useCase
      createdAt
      updatedAt
      organization {
        id
        name
        viewerRole
      }
      appsConnection(first: 100, after: $appsAfter) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        nodes {
          ...AppRow
        }
      }
    }
  }
`);
