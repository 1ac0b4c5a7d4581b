import type { CredentialFieldsFragment, CredentialKind, CredentialStatus } from '../../gql/graphql';

/** How the page names and explains each kind of credential. */
export interface KindInfo {
  kind: CredentialKind;
  /** The section title, plural ("Consumer keys"). */
  title: string;
  /** What the kind is, after the title ("API key and secret"). */
  subtitle: string;
  description: string;
  /** One of them, in a sentence ("consumer key"). */
  singular: string;
  /** Several, in a sentence ("consumer keys"). */
  plural: string;
  /** The public identifier's name, for kinds that have one. */
  publicIdLabel: string | null;
  secretLabel: string;
  /** The prefix of the secret, shown before its last four characters. */
  secretPrefix: string;
}

// The prefixes are the server's CREDENTIAL_PREFIXES (credentials.entity.ts), for display only.
export const KINDS: readonly KindInfo[] = [
  {
    kind: 'CONSUMER_KEY',
    title: 'Consumer keys',
    subtitle: 'API key and secret',
    description:
      'Identify the app to the API: send the secret in the X-API-Key header. The API key itself is public.',
    singular: 'consumer key',
    plural: 'consumer keys',
    publicIdLabel: 'API key',
    secretLabel: 'API key secret',
    secretPrefix: 'pcs',
  },
  {
    kind: 'BEARER_TOKEN',
    title: 'Bearer tokens',
    subtitle: 'app-only',
    description:
      'Call the API as the app itself, with read access only: for public data, never on behalf of a user.',
    singular: 'bearer token',
    plural: 'bearer tokens',
    publicIdLabel: null,
    secretLabel: 'Bearer token',
    secretPrefix: 'pbt',
  },
  {
    kind: 'ACCESS_TOKEN',
    title: 'Access tokens',
    subtitle: 'on behalf of the owner',
    description:
      "Call the API as the app's owner, up to the app's permission level: for scripts that read or post as you.",
    singular: 'access token',
    plural: 'access tokens',
    publicIdLabel: 'Access token',
    secretLabel: 'Access token secret',
    secretPrefix: 'pas',
  },
  {
    kind: 'OAUTH2_CLIENT',
    title: 'OAuth 2.0 clients',
    subtitle: 'client id and secret',
    description:
      'Let users sign in and authorize the app (3-legged OAuth), or use the client credentials flow.',
    singular: 'OAuth 2.0 client',
    plural: 'OAuth 2.0 clients',
    publicIdLabel: 'Client ID',
    secretLabel: 'Client secret',
    secretPrefix: 'pos',
  },
];

export function kindInfo(kind: CredentialKind): KindInfo {
  const info = KINDS.find((candidate) => candidate.kind === kind);
  if (!info) throw new Error(`Unknown credential kind ${kind}`);
  return info;
}

/** The secret as far as it can be shown again: its prefix and last four characters. */
export function maskedSecret(kind: CredentialKind, lastFour: string): string {
  return `${kindInfo(kind).secretPrefix}_…${lastFour}`;
}

/** A long public id shortened for a table cell; the full id is copied and in the title. */
export function shortPublicId(publicId: string): string {
  const separator = publicId.indexOf('_');
  const head = separator >= 0 ? separator + 1 + 6 : 10;
  return publicId.length <= head + 6
    ? publicId
    : `${publicId.slice(0, head)}…${publicId.slice(-4)}`;
}

/** How to name one credential in a sentence or a button label ("API key pck_7fGh2K…x9Qz"). */
export function credentialName(credential: CredentialFieldsFragment): string {
  const info = kindInfo(credential.kind);
  return credential.publicId && info.publicIdLabel
    ? `${info.publicIdLabel} ${shortPublicId(credential.publicId)}`
    : `${info.secretLabel} ${maskedSecret(credential.kind, credential.lastFour)}`;
}

export const STATUS_COLORS: Record<CredentialStatus, string> = {
  ACTIVE: 'green',
  IN_GRACE: 'yellow',
  EXPIRED: 'gray',
  REVOKED: 'gray',
};

/** The status as the API names it, readable: "IN GRACE". */
export function statusLabel(status: CredentialStatus): string {
  return status.replace('_', ' ');
}

export function isLive(credential: Pick<CredentialFieldsFragment, 'status'>): boolean {
  return credential.status === 'ACTIVE' || credential.status === 'IN_GRACE';
}

/** A credential rotated out (in grace) and the one that replaced it. */
export interface Rotation {
  previous: CredentialFieldsFragment;
  next: CredentialFieldsFragment | null;
}

export interface KindCredentials {
  /** Working credentials (active or in grace), newest first. */
  live: CredentialFieldsFragment[];
  /** Revoked or expired ones, newest first. */
  past: CredentialFieldsFragment[];
  /** Rotations whose grace period is running. */
  rotations: Rotation[];
}

/** Splits an app's credentials (newest first) by kind into live, past and running rotations. */
export function groupCredentials(
  credentials: readonly CredentialFieldsFragment[],
): Record<CredentialKind, KindCredentials> {
  const empty = (): KindCredentials => ({ live: [], past: [], rotations: [] });
  const groups: Record<CredentialKind, KindCredentials> = {
    CONSUMER_KEY: empty(),
    BEARER_TOKEN: empty(),
    ACCESS_TOKEN: empty(),
    OAUTH2_CLIENT: empty(),
  };
  for (const credential of credentials) {
    const group = groups[credential.kind];
    (isLive(credential) ? group.live : group.past).push(credential);
    if (credential.status === 'IN_GRACE') {
      const next = credentials.find((other) => other.rotatedFromId === credential.id) ?? null;
      group.rotations.push({ previous: credential, next });
    }
  }
  return groups;
}

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

function countOf(count: number, unit: string): string {
  return `${count} ${unit}${count === 1 ? '' : 's'}`;
}

/** "Grace ends in 5 days", "… in 3 hours", "… in 12 minutes", "Grace has ended". */
export function graceCountdown(expiresAt: string, now: Date = new Date()): string {
  const left = new Date(expiresAt).getTime() - now.getTime();
  if (left <= 0) return 'Grace has ended';
  if (left >= DAY_MS) return `Grace ends in ${countOf(Math.round(left / DAY_MS), 'day')}`;
  if (left >= HOUR_MS) return `Grace ends in ${countOf(Math.round(left / HOUR_MS), 'hour')}`;
  return `Grace ends in ${countOf(Math.max(1, Math.ceil(left / MINUTE_MS)), 'minute')}`;
}

/** When a rotation with `graceDays` of grace started now would end. */
export function graceEndsAt(graceDays: number, now: Date = new Date()): Date {
  return new Date(now.getTime() + graceDays * DAY_MS);
}
