import { graphql } from '../../gql';

export const GatewayTokenFieldsFragmentDoc = graphql(`
  fragment GatewayTokenFields on GatewayToken {
    id
    name
    lastFour
    createdAt
    lastUsedAt
    revokedAt
    createdBy {
      id
      name
      email
    }
  }
`);

export const GatewayTokensQuery = graphql(`
  query GatewayTokens {
    gatewayTokens {
      ...GatewayTokenFields
    }
  }
`);

export const CreateGatewayTokenMutation = graphql(`
  mutation CreateGatewayToken($input: CreateGatewayTokenInput!) {
    createGatewayToken(input: $input) {
      token
      gatewayToken {
        ...GatewayTokenFields
      }
    }
  }
`);

export const RevokeGatewayTokenMutation = graphql(`
  mutation RevokeGatewayToken($input: RevokeGatewayTokenInput!) {
    revokeGatewayToken(input: $input) {
      gatewayToken {
        ...GatewayTokenFields
      }
    }
  }
`);
