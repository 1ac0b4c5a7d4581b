import { graphql } from '../../gql';

export const StaffUsageFieldsFragment = graphql(`
  fragment StaffUsageFields on StaffUsage {
    month
    requests
    units
    errors
    errorRateLast30Days
    percentOfCap
    suggestUpgrade
    highestCap {
      productName
      planName
      metric
      used
      cap
    }
  }
`);

export const StaffAppRowFragment = graphql(`
  fragment StaffAppRow on StaffApp {
    id
    name
    status
    statusReason
    createdAt
    lastVerifiedAt
    organizationId
    organizationName
    organizationVerified
    ownerId
    ownerName
    ownerEmail
    products {
      productId
      productName
      status
    }
    usage {
      ...StaffUsageFields
    }
  }
`);

export const StaffAppsQuery = graphql(`
  query StaffApps(
    $filter: StaffAppFilter
    $sort: StaffAppSort
    $direction: SortDirection
    $first: Int
    $after: String
  ) {
    staffApps(filter: $filter, sort: $sort, direction: $direction, first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        ...StaffAppRow
      }
    }
  }
`);

export const StaffAppQuery = graphql(`
  query StaffApp($id: ID!) {
    staffApp(id: $id) {
      ...StaffAppRow
    }
  }
`);

export const StaffOrganizationsQuery = graphql(`
  query StaffOrganizations(
    $filter: StaffOrganizationFilter
    $sort: StaffOrganizationSort
    $direction: SortDirection
    $first: Int
    $after: String
  ) {
    staffOrganizations(
      filter: $filter
      sort: $sort
      direction: $direction
      first: $first
      after: $after
    ) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        name
        slug
        kind
        verifiedAt
        createdAt
        memberCount
        appCount
        plans {
          productId
          productName
          planName
        }
        usage {
          ...StaffUsageFields
        }
      }
    }
  }
`);

export const StaffOrganizationQuery = graphql(`
  query StaffOrganization($id: ID!) {
    staffOrganization(id: $id) {
      id
      name
      slug
      kind
      verifiedAt
      createdAt
      memberCount
      appCount
      plans {
        productId
        productName
        planName
      }
    }
    organization(id: $id) {
      id
      membersConnection(first: 100) {
        nodes {
          id
          role
          createdAt
          user {
            id
            name
            email
          }
        }
      }
    }
  }
`);

export const SetOrganizationVerifiedMutation = graphql(`
  mutation SetOrganizationVerified($input: SetOrganizationVerifiedInput!) {
    setOrganizationVerified(input: $input) {
      organization {
        id
        verifiedAt
      }
    }
  }
`);

export const StaffAuditLogQuery = graphql(`
  query StaffAuditLog($filter: StaffAuditFilter, $first: Int, $after: String) {
    staffAuditLog(filter: $filter, first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        action
        targetType
        targetId
        data
        ip
        createdAt
        actor {
          id
          name
        }
      }
    }
  }
`);

export const BulkRunFieldsFragment = graphql(`
  fragment BulkRunFields on BulkRun {
    id
    action
    status
    reason
    graceDays
    criteria
    changeCount
    skipCount
    appliedCount
    failedCount
    total
    refusal
    createdAt
    startedAt
    finishedAt
    plannedBy {
      id
      name
    }
  }
`);

export const BulkRunQuery = graphql(`
  query BulkRun($id: ID!, $first: Int, $after: String, $plan: BulkItemPlan, $state: BulkItemState) {
    bulkRun(id: $id) {
      ...BulkRunFields
      items(first: $first, after: $after, plan: $plan, state: $state) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        nodes {
          id
          position
          appId
          plan
          skipReason
          state
          failure
          app {
            id
            name
            status
            organizationName
            ownerEmail
          }
        }
      }
    }
  }
`);

export const BulkRunsQuery = graphql(`
  query BulkRuns($first: Int, $after: String) {
    bulkRuns(first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        ...BulkRunFields
      }
    }
  }
`);

export const PlanBulkRunMutation = graphql(`
  mutation PlanBulkRun($input: PlanBulkRunInput!) {
    planBulkRun(input: $input) {
      run {
        ...BulkRunFields
      }
    }
  }
`);

export const StartBulkRunMutation = graphql(`
  mutation StartBulkRun($input: StartBulkRunInput!) {
    startBulkRun(input: $input) {
      run {
        ...BulkRunFields
      }
    }
  }
`);

export const StaffEventsSubscription = graphql(`
  subscription StaffEvents($after: ID) {
    staffEvents(after: $after) {
      id
      kind
      subjectId
      createdAt
      bulkRun {
        ...BulkRunFields
      }
    }
  }
`);

export const StaffReportsQuery = graphql(`
  query StaffReports($windowDays: Int!) {
    staffInventorySummary {
      apps
      organizations
      verifiedOrganizations
      inactiveApps30d
      appsByStatus {
        status
        count
      }
      grantsByProduct {
        productId
        productName
        pending
        approved
        rejected
        revoked
      }
    }
    staffPendingQueue(windowDays: $windowDays) {
      pendingCount
      oldestRequestedAt
      medianAgeHours
      windowDays
      decidedCount
      averageHoursToDecision
      medianHoursToDecision
      p90HoursToDecision
      requests {
        grantId
        appId
        appName
        organizationId
        organizationName
        productName
        requestedAt
        ageHours
      }
    }
  }
`);

export const StaffHighUsageQuery = graphql(`
  query StaffHighUsage($by: HighUsageMeasure!, $top: Int!) {
    staffHighUsageApps(by: $by, top: $top) {
      month
      by
      upgradeThreshold
      upgradeSuggestedCount
      apps {
        ...StaffAppRow
      }
    }
  }
`);
