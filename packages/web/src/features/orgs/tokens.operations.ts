import { graphql } from '../../gql';

export const OrganizationTokenRowFragmentDoc = graphql(`
  fragment OrganizationTokenRow on PersonalAccessToken {
    id
    name
    status
    permissions {
      area
      level
    }
    owner {
      id
      name
      email
    }
    lastFour
    expiresAt
    lastUsedAt
    lastUsedIp
    reviewedAt
    reviewReason
    reviewedBy {
      id
      name
    }
    createdAt
  }
`);

/** The organization settings page: what every member may read. */
export const OrganizationSettingsQuery = graphql(`
  query OrganizationSettings($id: ID!) {
    organization(id: $id) {
      id
      name
      viewerRole
      tokenPolicy
    }
  }
`);

/** The members' fine-grained tokens for the organization (admins only). */
export const OrganizationTokensQuery = graphql(`
  query OrganizationTokens($id: ID!) {
    organization(id: $id) {
      id
      personalAccessTokens {
        ...OrganizationTokenRow
      }
    }
  }
`);

export const SetOrganizationTokenPolicyMutation = graphql(`
  mutation SetOrganizationTokenPolicy($input: SetOrganizationTokenPolicyInput!) {
    setOrganizationTokenPolicy(input: $input) {
      organization {
        id
        tokenPolicy
      }
    }
  }
`);

export const ReviewPersonalAccessTokenMutation = graphql(`
  mutation ReviewPersonalAccessToken($input: ReviewPersonalAccessTokenInput!) {
    reviewPersonalAccessToken(input: $input) {
      personalAccessToken {
        ...OrganizationTokenRow
      }
    }
  }
`);
