import { graphql } from '../../gql';

export const PlanFieldsFragmentDoc = graphql(`
  fragment PlanFields on Plan {
    id
    name
    rank
    maxApps
    maxDevEnvironments
    monthlyRequestCap
    monthlyUnitCap
    rateLimitRequests
    rateLimitWindowSeconds
  }
`);

export const ProductFieldsFragmentDoc = graphql(`
  fragment ProductFields on ApiProduct {
    id
    name
    slug
    description
    approvalMode
    requiresProject
    pathPrefixes
    dmPathPrefixes
    archivedAt
    updatedAt
    approvalRules {
      emailDomains
      maximumPermissionLevel
      minimumPlanRank
      requireVerifiedOrg
    }
  }
`);

export const CatalogueQuery = graphql(`
  query Catalogue($organizationId: ID!) {
    organization(id: $organizationId) {
      id
      name
      viewerRole
      planSubscriptions {
        id
        product {
          id
        }
        plan {
          id
          name
          rank
        }
      }
    }
    products {
      ...ProductFields
    }
    plans {
      ...PlanFields
    }
  }
`);

export const OrgPlansQuery = graphql(`
  query OrgPlans($organizationId: ID!) {
    organization(id: $organizationId) {
      id
      name
      viewerRole
      planSubscriptions {
        id
        updatedAt
        product {
          id
        }
        plan {
          id
        }
      }
    }
    products {
      id
      name
      description
      archivedAt
    }
    plans {
      ...PlanFields
    }
  }
`);

export const ChangePlanMutation = graphql(`
  mutation ChangePlan($input: ChangePlanInput!) {
    changePlan(input: $input) {
      planSubscription {
        id
        updatedAt
        product {
          id
        }
        plan {
          id
        }
      }
      organization {
        id
        planSubscriptions {
          id
          updatedAt
          product {
            id
          }
          plan {
            id
          }
        }
      }
    }
  }
`);

export const StaffProductsQuery = graphql(`
  query StaffProducts {
    products {
      ...ProductFields
    }
    plans {
      id
      name
      rank
    }
  }
`);

export const CreateProductMutation = graphql(`
  mutation CreateProduct($input: CreateProductInput!) {
    createProduct(input: $input) {
      product {
        ...ProductFields
      }
    }
  }
`);

export const UpdateProductMutation = graphql(`
  mutation UpdateProduct($input: UpdateProductInput!) {
    updateProduct(input: $input) {
      product {
        ...ProductFields
      }
    }
  }
`);

export const ArchiveProductMutation = graphql(`
  mutation ArchiveProduct($input: ArchiveProductInput!) {
    archiveProduct(input: $input) {
      product {
        ...ProductFields
      }
    }
  }
`);

export const StaffPlansQuery = graphql(`
  query StaffPlans {
    plans {
      ...PlanFields
    }
  }
`);

export const CreatePlanMutation = graphql(`
  mutation CreatePlan($input: CreatePlanInput!) {
    createPlan(input: $input) {
      plan {
        ...PlanFields
      }
    }
  }
`);

export const UpdatePlanMutation = graphql(`
  mutation UpdatePlan($input: UpdatePlanInput!) {
    updatePlan(input: $input) {
      plan {
        ...PlanFields
      }
    }
  }
`);
