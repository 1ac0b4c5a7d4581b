import { graphql } from '../../gql';

export const UsageTotalsFragmentDoc = graphql(`
  fragment UsageTotals on UsageStats {
    requests
    responses
    units
    errors
    errorRate
    responseTimeMin
    responseTimeAvg
    responseTimeMax
    responseTimeP50
    responseTimeP95
    responseTimeP99
  }
`);

export const UsagePointFieldsFragmentDoc = graphql(`
  fragment UsagePointFields on UsagePoint {
    at
    requests
    responses
    units
    errors
    errorRate
    responseTimeMin
    responseTimeAvg
    responseTimeMax
    responseTimeP50
    responseTimeP95
    responseTimeP99
  }
`);

export const UsageGroupFieldsFragmentDoc = graphql(`
  fragment UsageGroupFields on UsageGroup {
    id
    label
    deleted
    requests
    responses
    units
    errors
    errorRate
    responseTimeMin
    responseTimeAvg
    responseTimeMax
    responseTimeP50
    responseTimeP95
    responseTimeP99
  }
`);

/**
 * Usage of an organization, project, app, credential or dev environment (`of`), or of every
 * organization (staff, `of: null`), over a period in UTC. The page picks its breakdowns.
 */
export const UsageQuery = graphql(`
  query Usage(
    $of: ID
    $period: UsagePeriod!
    $month: String
    $byApp: Boolean!
    $byEnvironment: Boolean!
    $byCredential: Boolean!
    $withCaps: Boolean!
  ) {
    usage(of: $of, period: $period, month: $month) {
      period
      from
      to
      granularity
      totals {
        ...UsageTotals
      }
      series {
        ...UsagePointFields
      }
      byApp @include(if: $byApp) {
        ...UsageGroupFields
      }
      byProduct {
        ...UsageGroupFields
      }
      byEnvironment @include(if: $byEnvironment) {
        ...UsageGroupFields
      }
      byCredential @include(if: $byCredential) {
        ...UsageGroupFields
      }
      caps @include(if: $withCaps) {
        metric
        month
        used
        cap
        percentage
        projectedTotal
        capReachedAt
        product {
          id
          name
        }
        plan {
          id
          name
        }
      }
    }
  }
`);

/** What an organization's usage page can narrow to: its projects, apps and dev environments. */
export const UsageScopesQuery = graphql(`
  query UsageScopes($id: ID!) {
    organization(id: $id) {
      id
      name
      viewerRole
      projectsConnection(first: 100) {
        nodes {
          id
          name
          appsConnection(first: 100) {
            nodes {
              id
              name
            }
          }
        }
      }
      standaloneAppsConnection(first: 100) {
        nodes {
          id
          name
        }
      }
      devEnvironments {
        id
        label
        product {
          id
          name
        }
      }
    }
  }
`);
