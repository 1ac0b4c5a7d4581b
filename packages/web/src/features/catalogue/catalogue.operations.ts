import { graphql } from '../../gql';

export const CatalogueProductCardFragmentDoc = graphql(`
  fragment CatalogueProductCard on ApiProduct {
    id
    name
    slug
    description
    docsPublic
    labs
    requiresProject
    deprecation {
      id
      deprecationAt
      sunsetAt
    }
  }
`);

export const ChangelogEntryFieldsFragmentDoc = graphql(`
  fragment ChangelogEntryFields on ChangelogEntry {
    id
    kind
    title
    body
    bodyHtml
    endpointMethod
    endpointPath
    deprecationAt
    sunsetAt
    publishedAt
    createdAt
  }
`);

export const DocsHomeQuery = graphql(`
  query DocsHome {
    catalogue {
      ...CatalogueProductCard
    }
  }
`);

export const SearchCatalogueQuery = graphql(`
  query SearchCatalogue($query: String!, $productId: ID) {
    searchCatalogue(query: $query, productId: $productId, first: 10) {
      kind
      title
      snippet
      rank
      product {
        id
        slug
        name
      }
      document {
        id
        slug
      }
      endpoint {
        id
        method
        path
      }
    }
  }
`);

export const ProductDocsQuery = graphql(`
  query ProductDocs($slug: String!) {
    catalogueProduct(slug: $slug) {
      ...CatalogueProductCard
      apiBaseUrl
      changelogFeedPath
      overview {
        id
        title
        published {
          id
          html
          publishedAt
        }
      }
      guides {
        id
        kind
        slug
        title
        published {
          id
          publishedAt
        }
      }
      endpoints {
        id
        method
        path
        summary
        deprecated
        requiredPermission
        tags
      }
      changelog {
        ...ChangelogEntryFields
      }
    }
  }
`);

export const GuideQuery = graphql(`
  query Guide($slug: String!, $guideSlug: String!) {
    catalogueProduct(slug: $slug) {
      id
      name
      slug
      document(slug: $guideSlug) {
        id
        kind
        title
        updatedAt
        published {
          id
          html
          number
          publishedAt
        }
      }
    }
  }
`);

export const ApiReferenceQuery = graphql(`
  query ApiReference($slug: String!) {
    catalogueProduct(slug: $slug) {
      id
      name
      slug
      openApi {
        id
        published {
          id
          number
          source
          publishedAt
        }
      }
    }
  }
`);

export const EndpointQuery = graphql(`
  query Endpoint($slug: String!, $endpointId: ID!) {
    catalogueProduct(slug: $slug) {
      id
      name
      slug
      labs
      apiBaseUrl
      endpoints {
        id
        method
        path
      }
    }
    node(id: $endpointId) {
      ... on ApiEndpoint {
        id
        method
        path
        operationId
        summary
        descriptionHtml
        deprecated
        gatewayPath
        requiredPermission
        tags
        parameters {
          name
          in
          required
          description
          schema
          example
        }
        requestBody {
          required
          description
          contentType
          schema
          example
        }
        responses {
          status
          description
          contentType
          schema
          example
        }
        codeSamples {
          language
          label
          code
          tokenPlaceholder
        }
        deprecation {
          id
          title
          deprecationAt
          sunsetAt
        }
        product {
          id
        }
      }
    }
  }
`);

/** The signed-in developer's organizations, plans and apps: who may try a product, and limits. */
export const ViewerAppsForProductQuery = graphql(`
  query ViewerAppsForProduct {
    viewer {
      id
      organizations {
        id
        name
        planSubscriptions {
          id
          product {
            id
          }
          plan {
            id
          }
        }
        appsConnection(first: 100) {
          nodes {
            id
            name
            status
            grants {
              id
              status
              product {
                id
              }
            }
          }
        }
      }
    }
    plans {
      ...PlanFields
    }
  }
`);

export const CreateSandboxTokenMutation = graphql(`
  mutation CreateSandboxToken($input: CreateSandboxTokenInput!) {
    createSandboxToken(input: $input) {
      token
      expiresAt
      permissionLevel
    }
  }
`);

export const LabsQuery = graphql(`
  query Labs {
    labsProducts {
      ...CatalogueProductCard
      endpoints {
        id
        method
        path
      }
    }
    labsFeedback {
      ...LabsFeedbackFields
    }
  }
`);

export const LabsFeedbackFieldsFragmentDoc = graphql(`
  fragment LabsFeedbackFields on LabsFeedback {
    id
    rating
    text
    endpointMethod
    endpointPath
    status
    answer
    answeredAt
    closedAt
    createdAt
    authorName
    authorEmail
    product {
      id
      name
      slug
    }
  }
`);

export const SendLabsFeedbackMutation = graphql(`
  mutation SendLabsFeedback($input: SendLabsFeedbackInput!) {
    sendLabsFeedback(input: $input) {
      feedback {
        ...LabsFeedbackFields
      }
    }
  }
`);

// Staff

export const StaffLabsFeedbackQuery = graphql(`
  query StaffLabsFeedback($status: FeedbackStatus) {
    labsFeedback(status: $status) {
      ...LabsFeedbackFields
    }
  }
`);

export const AnswerLabsFeedbackMutation = graphql(`
  mutation AnswerLabsFeedback($input: AnswerLabsFeedbackInput!) {
    answerLabsFeedback(input: $input) {
      feedback {
        ...LabsFeedbackFields
      }
    }
  }
`);

export const CloseLabsFeedbackMutation = graphql(`
  mutation CloseLabsFeedback($input: CloseLabsFeedbackInput!) {
    closeLabsFeedback(input: $input) {
      feedback {
        ...LabsFeedbackFields
      }
    }
  }
`);

export const StaffDocsQuery = graphql(`
  query StaffDocs {
    products {
      id
      name
      slug
      archivedAt
      docsPublic
      labs
      deprecation {
        id
        deprecationAt
        sunsetAt
      }
      documents {
        id
        kind
      }
    }
  }
`);

export const RevisionFieldsFragmentDoc = graphql(`
  fragment RevisionFields on DocumentRevision {
    id
    number
    title
    note
    createdAt
    publishedAt
    isPublished
    authorName
    publishedByName
  }
`);

export const StaffDocumentFieldsFragmentDoc = graphql(`
  fragment StaffDocumentFields on ProductDocument {
    id
    kind
    slug
    title
    position
    updatedAt
    published {
      id
      number
    }
    draft {
      id
      number
      title
      source
      html
    }
    revisions {
      ...RevisionFields
    }
  }
`);

export const StaffProductDocsQuery = graphql(`
  query StaffProductDocs($id: ID!) {
    product(id: $id) {
      id
      name
      slug
      archivedAt
      docsPublic
      labs
      apiBaseUrl
      changelogFeedPath
      overview {
        ...StaffDocumentFields
        published {
          id
          number
          title
          source
          html
        }
      }
      guides {
        ...StaffDocumentFields
        published {
          id
          number
          title
          source
          html
        }
      }
      openApi {
        ...StaffDocumentFields
        published {
          id
          number
          title
          source
        }
      }
      endpoints {
        id
        method
        path
      }
      changelog {
        ...ChangelogEntryFields
      }
    }
  }
`);

export const UpdateProductCatalogueMutation = graphql(`
  mutation UpdateProductCatalogue($input: UpdateProductCatalogueInput!) {
    updateProductCatalogue(input: $input) {
      product {
        id
        docsPublic
        labs
        approvalMode
      }
    }
  }
`);

export const SaveProductDocumentMutation = graphql(`
  mutation SaveProductDocument($input: SaveProductDocumentInput!) {
    saveProductDocument(input: $input) {
      document {
        id
      }
      revision {
        id
        number
      }
    }
  }
`);

export const PublishProductDocumentMutation = graphql(`
  mutation PublishProductDocument($input: PublishProductDocumentInput!) {
    publishProductDocument(input: $input) {
      document {
        id
      }
    }
  }
`);

export const DeleteProductDocumentMutation = graphql(`
  mutation DeleteProductDocument($input: DeleteProductDocumentInput!) {
    deleteProductDocument(input: $input) {
      deletedDocumentId
    }
  }
`);

export const CreateChangelogEntryMutation = graphql(`
  mutation CreateChangelogEntry($input: CreateChangelogEntryInput!) {
    createChangelogEntry(input: $input) {
      entry {
        ...ChangelogEntryFields
      }
      notifiedOwners
    }
  }
`);

export const PublishChangelogEntryMutation = graphql(`
  mutation PublishChangelogEntry($input: PublishChangelogEntryInput!) {
    publishChangelogEntry(input: $input) {
      entry {
        ...ChangelogEntryFields
      }
      notifiedOwners
    }
  }
`);

export const DeprecationImpactQuery = graphql(`
  query DeprecationImpact($productId: ID!) {
    deprecationImpact(productId: $productId) {
      since
      totalRequests
      organizationCount
      product {
        id
        name
        slug
        deprecation {
          id
          title
          deprecationAt
          sunsetAt
        }
      }
      apps {
        requests
        lastWeekRequests
        previousWeekRequests
        daily
        lastCalledAt
        ownerEmail
        app {
          id
          name
          status
        }
        organization {
          id
          name
        }
      }
    }
  }
`);

export const DeprecatedProductsQuery = graphql(`
  query DeprecatedProducts {
    products {
      id
      name
      slug
      archivedAt
      deprecation {
        id
        title
        deprecationAt
        sunsetAt
      }
    }
  }
`);

export const SendDeprecationNoticeMutation = graphql(`
  mutation SendDeprecationNotice($input: SendDeprecationNoticeInput!) {
    sendDeprecationNotice(input: $input) {
      notifiedOwners
    }
  }
`);
