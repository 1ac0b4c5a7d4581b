import type { InvitationStatus, MemberRole } from '../../gql/graphql';

export const roleOptions: { value: MemberRole; label: string; description: string }[] = [
  {
    value: 'DEVELOPER',
    label: 'Developer',
    description: 'Creates apps and manages the apps they own; reads everything else.',
  },
  {
    value: 'ADMIN',
    label: 'Admin',
    description: 'Manages the organization, its members and every app.',
  },
];

export function isMemberRole(value: string | null): value is MemberRole {
  return roleOptions.some((role) => role.value === value);
}

export function roleLabel(role: MemberRole): string {
  return role === 'ADMIN' ? 'Admin' : 'Developer';
}

/** Still waiting for an answer: pending, or expired and worth sending again. */
export function isOpenInvitation(status: InvitationStatus): boolean {
  return status === 'PENDING' || status === 'EXPIRED';
}

export const invitationStatusColors: Record<string, string> = {
  PENDING: 'blue',
  ACCEPTED: 'teal',
  DECLINED: 'gray',
  REVOKED: 'gray',
  EXPIRED: 'orange',
};

export function statusLabel(status: string): string {
  return status.charAt(0) + status.slice(1).toLowerCase();
}
