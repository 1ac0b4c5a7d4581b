import { graphql } from '../../gql';

export const PersonalAccessTokenFragmentDoc = graphql(`
  fragment PersonalAccessTokenRow on PersonalAccessToken {
    id
    name
    kind
    status
    scopes
    permissions {
      area
      level
    }
    boundToOrganization
    organization {
      id
      name
    }
    lastFour
    expiresAt
    lastUsedAt
    lastUsedIp
    revokedAt
    reviewReason
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
      organizations {
        id
        name
        kind
        tokenPolicy
        viewerRole
      }
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

export const CreateFineGrainedPersonalAccessTokenMutation = graphql(`
  mutation CreateFineGrainedPersonalAccessToken(
    $input: CreateFineGrainedPersonalAccessTokenInput!
  ) {
    createFineGrainedPersonalAccessToken(input: $input) {
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
