import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto';
import type { Env } from '../../env.js';
import { ErrorCode, PorticoError } from '../../errors.js';

/** Standard Webhooks secrets: `whsec_` and the base64 of the key's bytes. */
export const SIGNING_SECRET_PREFIX = 'whsec_';
const SECRET_BYTES = 32;

/** A new signing secret, in the Standard Webhooks format (`whsec_` + base64 of 32 bytes). */
export function generateSigningSecret(): string {
  return SIGNING_SECRET_PREFIX + randomBytes(SECRET_BYTES).toString('base64');
}

/**
 * `v1,<base64 HMAC-SHA256>` of `<id>.<timestamp>.<body>` with the secret's key: one entry of
 * the `webhook-signature` header (Standard Webhooks).
 */
export function signPayload(
  secret: string,
  messageId: string,
  timestampSeconds: number,
  body: string,
): string {
  const key = Buffer.from(secret.slice(SIGNING_SECRET_PREFIX.length), 'base64');
  const mac = createHmac('sha256', key)
    .update(`${messageId}.${timestampSeconds}.${body}`)
    .digest('base64');
  return `v1,${mac}`;
}

/**
 * The key development and tests encrypt with when WEBHOOK_SECRET_KEY is unset. It is public
 * (it is in this file): production refuses to store secrets without a key of its own.
 */
const DEVELOPMENT_KEY = createHash('sha256').update('portico development webhook key').digest();
const VERSION = 'v1';

/**
 * Encrypts and decrypts signing secrets at rest with AES-256-GCM under WEBHOOK_SECRET_KEY:
 * `v1.<iv>.<tag>.<ciphertext>`, each part base64url. The key never leaves the process.
 */
export class SecretBox {
  private readonly key: Buffer | null;

  constructor(env: Pick<Env, 'WEBHOOK_SECRET_KEY' | 'NODE_ENV'>) {
    if (env.WEBHOOK_SECRET_KEY) this.key = Buffer.from(env.WEBHOOK_SECRET_KEY, 'base64');
    else this.key = env.NODE_ENV === 'production' ? null : DEVELOPMENT_KEY;
  }

  /** Whether secrets can be stored and read (production needs WEBHOOK_SECRET_KEY). */
  get configured(): boolean {
    return this.key !== null;
  }

  seal(secret: string): string {
    const key = this.requireKey();
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    const ciphertext = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return [VERSION, iv, tag, ciphertext]
      .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
      .join('.');
  }

  open(sealed: string): string {
    const key = this.requireKey();
    const [version, iv, tag, ciphertext] = sealed.split('.');
    if (version !== VERSION || !iv || !tag || ciphertext === undefined) {
      throw new Error('A stored webhook secret is not in a known format.');
    }
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([
      decipher.update(Buffer.from(ciphertext, 'base64url')),
      decipher.final(),
    ]).toString('utf8');
  }

  private requireKey(): Buffer {
    if (!this.key) {
      throw new PorticoError(
        ErrorCode.FORBIDDEN,
        'Webhooks are not set up on this portal: its operators must set WEBHOOK_SECRET_KEY.',
      );
    }
    return this.key;
  }
}
