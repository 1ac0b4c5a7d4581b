import { hasValidChecksum, sha256 } from '../crypto.js';
import { CREDENTIAL_PREFIXES, CredentialKind } from '../modules/credentials/credentials.entity.js';
import { SANDBOX_TOKEN_PREFIX } from '../modules/catalogue/index.js';
import { SANDBOX_KIND, type PresentedKind } from './credential-cache.js';

const SECRET_KINDS = new Map<string, PresentedKind>([[SANDBOX_TOKEN_PREFIX, SANDBOX_KIND]]);
const PUBLIC_PREFIXES = new Set<string>();
for (const kind of Object.values(CredentialKind)) {
  const prefixes = CREDENTIAL_PREFIXES[kind];
  SECRET_KINDS.set(prefixes.secret, kind);
  if (prefixes.publicId) PUBLIC_PREFIXES.add(prefixes.publicId);
}

/** Longest token we look at: anything longer is refused before hashing. */
const MAX_TOKEN_LENGTH = 128;

export type ParsedToken =
  | { ok: true; kind: PresentedKind; hash: string }
  | { ok: false; code: 'malformed_credential' | 'public_identifier' };

/**
 * Reads a presented credential: its kind from the prefix, and the SHA-256 to look it up by.
 * A token of the wrong shape or with a checksum that does not match is refused here, without
 * any lookup; a public identifier (consumer key, access token, client id) is not a secret.
 */
export function parseCredentialToken(token: string): ParsedToken {
  const underscore = token.indexOf('_');
  if (underscore <= 0 || token.length > MAX_TOKEN_LENGTH) {
    return { ok: false, code: 'malformed_credential' };
  }
  const prefix = token.slice(0, underscore);
  const kind = SECRET_KINDS.get(prefix);
  if (kind !== undefined) {
    return hasValidChecksum(token, prefix)
      ? { ok: true, kind, hash: sha256(token) }
      : { ok: false, code: 'malformed_credential' };
  }
  if (PUBLIC_PREFIXES.has(prefix) && hasValidChecksum(token, prefix)) {
    return { ok: false, code: 'public_identifier' };
  }
  return { ok: false, code: 'malformed_credential' };
}
