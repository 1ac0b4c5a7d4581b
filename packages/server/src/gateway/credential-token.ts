import { hasValidChecksum, sha256 } from '../crypto.js';
import { CREDENTIAL_PREFIXES, CredentialKind } from '../modules/credentials/credentials.entity.js';
import { SANDBOX_TOKEN_PREFIX } from '../modules/catalogue/index.js';

const SECRET_PREFIXES = new Set<string>([SANDBOX_TOKEN_PREFIX]);
const PUBLIC_PREFIXES = new Set<string>();
for (const kind of Object.values(CredentialKind)) {
  const prefixes = CREDENTIAL_PREFIXES[kind];
  SECRET_PREFIXES.add(prefixes.secret);
  if (prefixes.publicId) PUBLIC_PREFIXES.add(prefixes.publicId);
}

/** Longest token we look at: anything longer is refused before hashing. */
const MAX_TOKEN_LENGTH = 128;

export type TokenProblem = 'malformed_credential' | 'public_identifier';

/**
 * The SHA-256 a presented token is looked up by (`secret_hash`), or null for a token too long
 * to be a credential (refused before hashing).
 */
export function lookupHash(token: string): string | null {
  return token.length > MAX_TOKEN_LENGTH ? null : sha256(token);
}

/**
 * Why a presented token cannot be a Portico secret, or null when it can: a token of the wrong
 * shape, with an unknown prefix or a checksum that does not match is refused without any
 * lookup, and a public identifier (consumer key, access token, client id) is not a secret.
 * Only a token that passes is ever looked up, so a hash the credential cache holds (found or
 * not found) is the hash of a token that passed.
 */
export function credentialTokenProblem(token: string): TokenProblem | null {
  const underscore = token.indexOf('_');
  if (underscore <= 0 || token.length > MAX_TOKEN_LENGTH) return 'malformed_credential';
  const prefix = token.slice(0, underscore);
  if (SECRET_PREFIXES.has(prefix)) {
    return hasValidChecksum(token, prefix) ? null : 'malformed_credential';
  }
  if (PUBLIC_PREFIXES.has(prefix) && hasValidChecksum(token, prefix)) return 'public_identifier';
  return 'malformed_credential';
}
