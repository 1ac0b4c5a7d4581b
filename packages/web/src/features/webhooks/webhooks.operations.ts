import { graphql } from '../../gql';

export const WebhookEndpointFieldsFragmentDoc = graphql(`
  fragment WebhookEndpointFields on WebhookEndpoint {
    id
    url
    description
    eventTypes
    enabled
    disabledAt
    disabledReason
    failingSince
    secretCreatedAt
    previousSecretExpiresAt
    createdAt
  }
`);

export const WebhookDeliveryFieldsFragmentDoc = graphql(`
  fragment WebhookDeliveryFields on WebhookDelivery {
    id
    messageId
    eventType
    status
    attemptCount
    nextAttemptAt
    lastAttemptAt
    responseStatus
    responseTimeMs
    responseExcerpt
    lastError
    deliveredAt
    replayOfId
    createdAt
  }
`);

export const WebhooksPageQuery = graphql(`
  query WebhooksPage($organizationId: ID!) {
    organization(id: $organizationId) {
      id
      name
      viewerRole
    }
  }
`);

export const WebhookEndpointsQuery = graphql(`
  query WebhookEndpoints($organizationId: ID!) {
    webhookEndpoints(organizationId: $organizationId) {
      ...WebhookEndpointFields
    }
  }
`);

export const WebhookDeliveriesQuery = graphql(`
  query WebhookDeliveries($endpointId: ID!) {
    node(id: $endpointId) {
      id
      ... on WebhookEndpoint {
        deliveries(first: 25) {
          totalCount
          nodes {
            ...WebhookDeliveryFields
          }
        }
      }
    }
  }
`);

export const CreateWebhookEndpointMutation = graphql(`
  mutation CreateWebhookEndpoint($input: CreateWebhookEndpointInput!) {
    createWebhookEndpoint(input: $input) {
      secret
      endpoint {
        ...WebhookEndpointFields
      }
    }
  }
`);

export const RotateWebhookSecretMutation = graphql(`
  mutation RotateWebhookSecret($input: RotateWebhookSecretInput!) {
    rotateWebhookSecret(input: $input) {
      secret
      endpoint {
        ...WebhookEndpointFields
      }
    }
  }
`);

export const DisableWebhookEndpointMutation = graphql(`
  mutation DisableWebhookEndpoint($input: DisableWebhookEndpointInput!) {
    disableWebhookEndpoint(input: $input) {
      endpoint {
        ...WebhookEndpointFields
      }
    }
  }
`);

export const EnableWebhookEndpointMutation = graphql(`
  mutation EnableWebhookEndpoint($input: EnableWebhookEndpointInput!) {
    enableWebhookEndpoint(input: $input) {
      endpoint {
        ...WebhookEndpointFields
      }
    }
  }
`);

export const DeleteWebhookEndpointMutation = graphql(`
  mutation DeleteWebhookEndpoint($input: DeleteWebhookEndpointInput!) {
    deleteWebhookEndpoint(input: $input) {
      deletedEndpointId
    }
  }
`);

export const SendTestWebhookMutation = graphql(`
  mutation SendTestWebhook($input: SendTestWebhookInput!) {
    sendTestWebhook(input: $input) {
      delivery {
        ...WebhookDeliveryFields
      }
    }
  }
`);

export const ReplayWebhookDeliveryMutation = graphql(`
  mutation ReplayWebhookDelivery($input: ReplayWebhookDeliveryInput!) {
    replayWebhookDelivery(input: $input) {
      delivery {
        ...WebhookDeliveryFields
      }
    }
  }
`);
