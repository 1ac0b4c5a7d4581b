import type {
  PersonalAccessTokenStatus,
  TokenAccess,
  TokenArea,
  TokenPolicy,
} from '../../gql/graphql';

/** Which tokens may be given an area (as the server's AREA_SCOPES). */
export type AreaScope = 'organization' | 'account' | 'staff';

export interface AreaInfo {
  area: TokenArea;
  label: string;
  description: string;
  scope: AreaScope;
}

/** Every area a fine-grained token is given permissions on, in the server's order. */
export const TOKEN_AREAS: readonly AreaInfo[] = [
  {
    area: 'ORGANIZATION',
    label: 'Organization',
    description: 'Profile, settings and live events',
    scope: 'organization',
  },
  {
    area: 'MEMBERS',
    label: 'Members',
    description: 'Members and invitations',
    scope: 'organization',
  },
  {
    area: 'PROJECTS',
    label: 'Projects',
    description: 'Projects that group apps',
    scope: 'organization',
  },
  { area: 'APPS', label: 'Apps', description: 'Apps and their settings', scope: 'organization' },
  {
    area: 'CREDENTIALS',
    label: 'Credentials',
    description: "Apps' keys and secrets",
    scope: 'organization',
  },
  {
    area: 'SUBSCRIPTIONS',
    label: 'Subscriptions',
    description: 'Catalogue, product grants, plans, environments',
    scope: 'organization',
  },
  { area: 'USAGE', label: 'Usage', description: 'Usage and charts', scope: 'organization' },
  {
    area: 'WEBHOOKS',
    label: 'Webhooks',
    description: 'Endpoints and deliveries',
    scope: 'organization',
  },
  {
    area: 'AUDIT_LOG',
    label: 'Audit log',
    description: "The organization's audit log",
    scope: 'organization',
  },
  {
    area: 'ACCOUNT',
    label: 'Account',
    description: 'Profile, developer application, invitations, new organizations',
    scope: 'account',
  },
  {
    area: 'NOTIFICATIONS',
    label: 'Notifications',
    description: 'Notifications and live events',
    scope: 'account',
  },
  {
    area: 'STAFF_REVIEW',
    label: 'Staff: review',
    description: 'Review queue and decisions',
    scope: 'staff',
  },
  {
    area: 'STAFF_CONSOLE',
    label: 'Staff: console',
    description: 'Apps, organizations, bulk runs',
    scope: 'staff',
  },
  {
    area: 'STAFF_CATALOG',
    label: 'Staff: catalogue',
    description: 'Products, plans, gateway tokens',
    scope: 'staff',
  },
  {
    area: 'STAFF_AUDIT',
    label: 'Staff: audit',
    description: 'Audit log and mail outbox',
    scope: 'staff',
  },
];

const LABELS = new Map(TOKEN_AREAS.map((info) => [info.area, info.label]));

export function areaLabel(area: TokenArea): string {
  return LABELS.get(area) ?? area;
}

export function accessLabel(level: TokenAccess): string {
  return level === 'WRITE' ? 'Write' : level === 'READ' ? 'Read' : 'None';
}

/** The areas a token may be given: bound to an organization, or to the user's own account. */
export function areasFor(boundToOrganization: boolean, staff: boolean): AreaInfo[] {
  return TOKEN_AREAS.filter(
    (info) =>
      info.scope === 'organization' ||
      (!boundToOrganization && (info.scope === 'account' || staff)),
  );
}

export const STATUS: Record<PersonalAccessTokenStatus, { label: string; color: string }> = {
  ACTIVE: { label: 'Active', color: 'teal' },
  PENDING_APPROVAL: { label: 'Waiting for approval', color: 'yellow' },
  REFUSED: { label: 'Refused', color: 'red' },
  BLOCKED: { label: 'Blocked by organization', color: 'red' },
  EXPIRED: { label: 'Expired', color: 'orange' },
  REVOKED: { label: 'Revoked', color: 'gray' },
};

export const POLICIES: { value: TokenPolicy; label: string; description: string }[] = [
  {
    value: 'ALLOW',
    label: 'Allow',
    description: 'Members may make fine-grained tokens for this organization.',
  },
  {
    value: 'REQUIRE_APPROVAL',
    label: 'Require approval',
    description:
      "A member's new token works once an admin approves it. Admins' own tokens need no approval.",
  },
  {
    value: 'FORBID',
    label: 'Forbid',
    description:
      'No personal access token reaches this organization: its fine-grained tokens stop working and classic tokens lose access to its data, until tokens are allowed again.',
  },
];

/** Days a new token lasts: the choices offered, at most a year. */
export const EXPIRY_CHOICES = [7, 30, 60, 90, 180, 365] as const;
export const MAX_TOKEN_DAYS = 365;
