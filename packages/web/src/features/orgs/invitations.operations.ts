import { graphql } from '../../gql';

export const InvitationPageQuery = graphql(`
  query InvitationPage($token: String!) {
    invitationByToken(token: $token) {
      organizationName
      email
      role
      status
      invitedByName
      expiresAt
    }
    viewer {
      id
      email
      name
    }
  }
`);

export const AcceptInvitationMutation = graphql(`
  mutation AcceptInvitation($input: AcceptInvitationInput!) {
    acceptInvitation(input: $input) {
      organization {
        id
        name
      }
      membership {
        id
        role
      }
    }
  }
`);

export const DeclineInvitationMutation = graphql(`
  mutation DeclineInvitation($input: DeclineInvitationInput!) {
    declineInvitation(input: $input) {
      invitation {
        id
        status
      }
    }
  }
`);
