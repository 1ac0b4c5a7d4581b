import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Random base62 string of the given length (rejection sampling, no modulo bias). */
export function randomBase62(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248) out += ALPHABET[byte % 62];
      if (out.length === length) break;
    }
  }
  return out;
}

/** Prefixes of every opaque id; the prefix tells the node type. */
export const ID_PREFIXES = {
  user: 'usr',
  session: 'ses',
  emailToken: 'etk',
  personalAccessToken: 'pat',
  organization: 'org',
  membership: 'mem',
  invitation: 'inv',
  project: 'prj',
  app: 'app',
  auditEntry: 'aud',
  mailMessage: 'mail',
  product: 'prd',
  plan: 'pln',
  planSubscription: 'sub',
  devEnvironment: 'env',
  grant: 'grt',
  reasonTemplate: 'rsn',
  notification: 'ntf',
  developerApplication: 'dap',
  applicationMessage: 'dam',
  credential: 'crd',
  gatewayToken: 'gwt',
  webhookEndpoint: 'whk',
  webhookDelivery: 'whd',
  bulkRun: 'blk',
  bulkRunItem: 'bli',
  oauthAuthorization: 'oaz',
  oauthSigningKey: 'osk',
  appKey: 'akp',
  productCatalogue: 'pct',
  productDocument: 'doc',
  documentRevision: 'rev',
  apiEndpoint: 'ept',
  changelogEntry: 'chg',
  sandboxToken: 'sbx',
  labsFeedback: 'fbk',
} as const;

export type IdPrefix = (typeof ID_PREFIXES)[keyof typeof ID_PREFIXES];

export function newId(prefix: IdPrefix): string {
  return `${prefix}_${randomBase62(20)}`;
}

export function prefixOf(id: string): string | undefined {
  const index = id.indexOf('_');
  return index > 0 ? id.slice(0, index) : undefined;
}
