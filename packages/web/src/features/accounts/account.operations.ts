import { graphql } from '../../gql';

export const PersonalAccessTokenFragmentDoc = graphql(`
  fragment PersonalAccessTokenRow on PersonalAccessToken {
    id
    name
    scopes
    lastFour
    expiresAt
    lastUsedAt
    revokedAt
    createdAt
  }
`);

export const AccountQuery = graphql(`
  query Account {
    viewer {
      id
      name
      email
      emailVerified
      emailVerifiedAt
      platformRole
      createdAt
      personalAccessTokens {
        ...PersonalAccessTokenRow
      }
    }
  }
`);

export const UpdateProfileMutation = graphql(`
  mutation UpdateProfile($input: UpdateProfileInput!) {
    updateProfile(input: $input) {
      user {
        id
        name
      }
    }
  }
`);

export const ChangePasswordMutation = graphql(`
  mutation ChangePassword($input: ChangePasswordInput!) {
    changePassword(input: $input) {
      user {
        id
      }
    }
  }
`);

export const CreatePersonalAccessTokenMutation = graphql(`
  mutation CreatePersonalAccessToken($input: CreatePersonalAccessTokenInput!) {
    createPersonalAccessToken(input: $input) {
      token
      personalAccessToken {
        ...PersonalAccessTokenRow
      }
    }
  }
`);

export const RevokePersonalAccessTokenMutation = graphql(`
  mutation RevokePersonalAccessToken($input: RevokePersonalAccessTokenInput!) {
    revokePersonalAccessToken(input: $input) {
      personalAccessToken {
        ...PersonalAccessTokenRow
      }
    }
  }
`);
