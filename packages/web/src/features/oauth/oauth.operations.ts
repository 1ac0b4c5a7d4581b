import { graphql } from '../../gql';

export const AuthorizedAppRowFragmentDoc = graphql(`
  fragment AuthorizedAppRow on OAuthAuthorization {
    id
    scopes
    permissions
    approvedAt
    lastUsedAt
    app {
      name
      iconUrl
      websiteUrl
      organizationName
    }
  }
`);

export const AuthorizedAppsQuery = graphql(`
  query AuthorizedApps {
    authorizedApps {
      ...AuthorizedAppRow
    }
  }
`);

export const RevokeAuthorizedAppMutation = graphql(`
  mutation RevokeAuthorizedApp($input: RevokeAuthorizedAppInput!) {
    revokeAuthorizedApp(input: $input) {
      authorization {
        id
      }
    }
  }
`);
