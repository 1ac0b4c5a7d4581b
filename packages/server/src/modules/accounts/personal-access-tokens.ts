import { registerEnumType } from 'type-graphql';
import { PlatformRole } from '../../auth/roles.js';
import {
  effectivePermissions,
  TokenPolicy,
  type TokenGrant,
} from '../../auth/token-permissions.js';
import {
  PersonalAccessTokenKind,
  TokenApproval,
  type PersonalAccessToken,
  type TokenOrganization,
  type User,
} from './accounts.entity.js';

/** Classic personal access tokens (no longer made). */
export const CLASSIC_PAT_PREFIX = 'ptc';
/** Fine-grained personal access tokens. */
export const FINE_GRAINED_PAT_PREFIX = 'ptf';

/** Whether a token works now, and if not, why. */
export enum PersonalAccessTokenStatus {
  ACTIVE = 'ACTIVE',
  PENDING_APPROVAL = 'PENDING_APPROVAL',
  REFUSED = 'REFUSED',
  BLOCKED = 'BLOCKED',
  EXPIRED = 'EXPIRED',
  REVOKED = 'REVOKED',
}
registerEnumType(PersonalAccessTokenStatus, {
  name: 'PersonalAccessTokenStatus',
  description: 'Whether a personal access token works now, and if not, why.',
  valuesConfig: {
    ACTIVE: { description: 'It works.' },
    PENDING_APPROVAL: { description: "It waits for an organization admin's approval." },
    REFUSED: { description: 'An organization admin refused it (or withdrew its access).' },
    BLOCKED: { description: 'Its organization forbids personal access tokens.' },
    EXPIRED: { description: 'Past its expiry.' },
    REVOKED: { description: 'Revoked by its owner.' },
  },
});

/**
 * The token's status at `now`. The organization of a fine-grained token must be loaded (or
 * passed as `organization`).
 */
export function tokenStatus(
  token: PersonalAccessToken,
  now: Date,
  organization: TokenOrganization | null = token.organization?.getEntity() ?? null,
): PersonalAccessTokenStatus {
  if (token.revokedAt) return PersonalAccessTokenStatus.REVOKED;
  if (token.approval === TokenApproval.REFUSED) return PersonalAccessTokenStatus.REFUSED;
  if (token.expiresAt && token.expiresAt <= now) return PersonalAccessTokenStatus.EXPIRED;
  if (token.approval === TokenApproval.PENDING) return PersonalAccessTokenStatus.PENDING_APPROVAL;
  if (organization?.tokenPolicy === TokenPolicy.FORBID) return PersonalAccessTokenStatus.BLOCKED;
  return PersonalAccessTokenStatus.ACTIVE;
}

const REFUSALS: Readonly<Record<PersonalAccessTokenStatus, string | null>> = {
  ACTIVE: null,
  PENDING_APPROVAL: "The token waits for an organization admin's approval.",
  REFUSED: 'An organization admin refused this token.',
  BLOCKED: 'The organization of this token forbids personal access tokens.',
  EXPIRED: 'The token is not valid, has expired or was revoked.',
  REVOKED: 'The token is not valid, has expired or was revoked.',
};

/** Why the token cannot sign in now (its organization loaded), or null when it can. */
export function tokenRefusal(token: PersonalAccessToken, now: Date): string | null {
  return REFUSALS[tokenStatus(token, now)];
}

/** What a fine-grained token carries into a request; null for a classic one. */
export function tokenGrantOf(token: PersonalAccessToken, user: User): TokenGrant | null {
  if (token.kind !== PersonalAccessTokenKind.FINE_GRAINED) return null;
  const organizationId = token.organization?.id ?? null;
  return {
    organizationId,
    permissions: effectivePermissions(
      token.permissions,
      organizationId,
      user.platformRole === PlatformRole.STAFF,
    ),
  };
}
