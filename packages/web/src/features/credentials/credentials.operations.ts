import { graphql } from '../../gql';

export const CredentialFieldsFragmentDoc = graphql(`
  fragment CredentialFields on Credential {
    id
    kind
    status
    publicId
    lastFour
    lastUsedAt
    expiresAt
    revokedAt
    rotatedFromId
    createdAt
  }
`);

export const AppCredentialsQuery = graphql(`
  query AppCredentials($id: ID!) {
    app(id: $id) {
      id
      status
      viewerCanManage
      credentials {
        ...CredentialFields
      }
    }
  }
`);

/**
 * How to run the three mutations below, which carry a secret: outside the cache, so the secret
 * lives only in the state of the modal that shows it; the list is loaded again meanwhile. The
 * reload is not awaited: were it to fail, the secret, already made, must still be shown.
 */
export function secretMutationOptions() {
  return { fetchPolicy: 'no-cache' as const, refetchQueries: [AppCredentialsQuery] };
}

export const CreateCredentialMutation = graphql(`
  mutation CreateCredential($input: CreateCredentialInput!) {
    createCredential(input: $input) {
      secret
      publicId
      credential {
        ...CredentialFields
      }
    }
  }
`);

export const RegenerateCredentialMutation = graphql(`
  mutation RegenerateCredential($input: RegenerateCredentialInput!) {
    regenerateCredential(input: $input) {
      secret
      publicId
      credential {
        ...CredentialFields
      }
      previousCredential {
        ...CredentialFields
      }
    }
  }
`);

export const RotateCredentialMutation = graphql(`
  mutation RotateCredential($input: RotateCredentialInput!) {
    rotateCredential(input: $input) {
      secret
      publicId
      credential {
        ...CredentialFields
      }
      previousCredential {
        ...CredentialFields
      }
    }
  }
`);

export const RevokeCredentialMutation = graphql(`
  mutation RevokeCredential($input: RevokeCredentialInput!) {
    revokeCredential(input: $input) {
      credential {
        ...CredentialFields
      }
    }
  }
`);

export const EndCredentialGraceMutation = graphql(`
  mutation EndCredentialGrace($input: EndCredentialGraceInput!) {
    endCredentialGrace(input: $input) {
      credential {
        ...CredentialFields
      }
    }
  }
`);
