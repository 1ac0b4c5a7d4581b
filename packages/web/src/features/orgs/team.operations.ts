import { graphql } from '../../gql';

/** The team page; the fields of each list are in the fragment of the component showing it. */
export const TeamQuery = graphql(`
  query Team($id: ID!, $membersAfter: String, $invitationsAfter: String) {
    organization(id: $id) {
      id
      name
      kind
      viewerRole
      membersConnection(first: 100, after: $membersAfter) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        nodes {
          ...MemberRow
        }
      }
      invitationsConnection(first: 100, after: $invitationsAfter) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        nodes {
          ...InvitationRow
        }
      }
      pendingInvitations: invitationsConnection(status: PENDING, first: 1) {
        totalCount
      }
      expiredInvitations: invitationsConnection(status: EXPIRED, first: 1) {
        totalCount
      }
    }
  }
`);

export const InviteMemberMutation = graphql(`
  mutation InviteMember($input: InviteMemberInput!) {
    inviteMember(input: $input) {
      invitation {
        id
        email
        role
        status
        createdAt
        expiresAt
        lastSentAt
      }
    }
  }
`);

export const ResendInvitationMutation = graphql(`
  mutation ResendInvitation($input: ResendInvitationInput!) {
    resendInvitation(input: $input) {
      invitation {
        id
        status
        expiresAt
        lastSentAt
      }
    }
  }
`);

export const RevokeInvitationMutation = graphql(`
  mutation RevokeInvitation($input: RevokeInvitationInput!) {
    revokeInvitation(input: $input) {
      invitation {
        id
        status
      }
    }
  }
`);

export const ChangeMemberRoleMutation = graphql(`
  mutation ChangeMemberRole($input: ChangeMemberRoleInput!) {
    changeMemberRole(input: $input) {
      membership {
        id
        role
      }
    }
  }
`);

export const RemoveMemberMutation = graphql(`
  mutation RemoveMember($input: RemoveMemberInput!) {
    removeMember(input: $input) {
      removedMembershipId
      organization {
        id
      }
    }
  }
`);

export const LeaveOrganizationMutation = graphql(`
  mutation LeaveOrganization($input: LeaveOrganizationInput!) {
    leaveOrganization(input: $input) {
      organizationId
    }
  }
`);
