import { graphql } from '../../gql';

export const GrantFieldsFragmentDoc = graphql(`
  fragment GrantFields on ProductGrant {
    id
    status
    reason
    decidedAt
    decidedByRule
    unmetRules
    createdAt
    decidedBy {
      id
      name
    }
    requestedBy {
      id
      name
    }
    product {
      id
      name
      slug
      requiresProject
      approvalMode
    }
  }
`);

export const AppGrantsQuery = graphql(`
  query AppGrants($id: ID!) {
    app(id: $id) {
      id
      status
      statusReason
      viewerCanManage
      project {
        id
      }
      grants {
        ...GrantFields
      }
    }
    products {
      id
      name
      description
      requiresProject
      approvalMode
    }
  }
`);

/** What a live event refreshes on an app: its status and its grants. */
export const AppLiveStatusQuery = graphql(`
  query AppLiveStatus($id: ID!) {
    app(id: $id) {
      id
      status
      statusReason
      updatedAt
      grants {
        ...GrantFields
      }
    }
  }
`);

export const RequestProductsMutation = graphql(`
  mutation RequestProducts($input: RequestProductsInput!) {
    requestProducts(input: $input) {
      app {
        id
        status
        statusReason
        grants {
          ...GrantFields
        }
      }
    }
  }
`);

export const WithdrawGrantRequestMutation = graphql(`
  mutation WithdrawGrantRequest($input: WithdrawGrantRequestInput!) {
    withdrawGrantRequest(input: $input) {
      app {
        id
        status
        statusReason
        grants {
          ...GrantFields
        }
      }
    }
  }
`);

export const ReviewItemFieldsFragmentDoc = graphql(`
  fragment ReviewItemFields on ReviewItem {
    id
    kind
    ageSeconds
    createdAt
    ... on GrantReviewItem {
      app {
        id
        name
        useCase
        permissionLevel
        project {
          id
          name
        }
      }
      organization {
        id
        name
        verifiedAt
      }
      owner {
        id
        name
        email
      }
      product {
        id
        name
        approvalMode
      }
      grant {
        id
        unmetRules
        requestedBy {
          id
          name
        }
      }
    }
    ... on ApplicationReviewItem {
      applicant {
        id
        name
        email
      }
      application {
        id
        status
        useCase
        companyName
        questionAskedAt
      }
    }
  }
`);

export const ReviewQueueQuery = graphql(`
  query ReviewQueue($filter: ReviewQueueFilter, $first: Int!) {
    reviewQueue(filter: $filter, first: $first) {
      totalCount
      nodes {
        ...ReviewItemFields
      }
    }
  }
`);

export const ReviewFiltersQuery = graphql(`
  query ReviewFilters {
    products {
      id
      name
    }
    reasonTemplates {
      id
      title
      text
    }
  }
`);

/** The detail of a queued grant: the app, its organization and every request of the app. */
export const ReviewGrantDetailQuery = graphql(`
  query ReviewGrantDetail($appId: ID!) {
    app(id: $appId) {
      id
      name
      description
      useCase
      status
      permissionLevel
      websiteUrl
      createdAt
      owner {
        id
        name
        email
      }
      project {
        id
        name
      }
      organization {
        id
        name
        verifiedAt
      }
      grants {
        ...GrantFields
      }
    }
  }
`);

export const DecideGrantsMutation = graphql(`
  mutation DecideGrants($input: DecideGrantsInput!) {
    decideGrants(input: $input) {
      grants {
        ...GrantFields
      }
    }
  }
`);

export const RevokeGrantMutation = graphql(`
  mutation RevokeGrant($input: RevokeGrantInput!) {
    revokeGrant(input: $input) {
      grant {
        ...GrantFields
      }
    }
  }
`);
