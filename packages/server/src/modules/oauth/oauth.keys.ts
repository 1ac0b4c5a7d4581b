import type { EntityManager } from '@mikro-orm/postgresql';
import { createCipheriv, createDecipheriv, hash, randomBytes } from 'node:crypto';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import { randomBase62 } from '../../ids.js';
import { publish } from '../../events/events.service.js';
import { OAuthSigningKey } from './oauth.entity.js';

/** The one signing algorithm of access and ID tokens. */
export const SIGNING_ALG = 'ES256';

/**
 * How long a retired key stays published: longer than any token it signed lives (access and
 * ID tokens live minutes), so that a token checked offline still finds its key.
 */
export const RETIRED_KEY_PUBLISHED_MS = 2 * 60 * 60 * 1000;

/** How old the signing key may grow before the job rotates it. */
export const SIGNING_KEY_MAX_AGE_MS = 30 * 24 * 60 * 60 * 1000;

const ENCRYPTED = 'aes256gcm';
const PLAIN = 'plain';

function keyOf(secret: string): Buffer {
  return hash('sha256', secret, 'buffer');
}

/** The private JWK as stored: encrypted with `secret` when there is one. */
export function sealPrivateJwk(jwk: JWK, secret: string | undefined): string {
  const text = JSON.stringify(jwk);
  if (!secret) return `${PLAIN}:${Buffer.from(text).toString('base64url')}`;
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyOf(secret), iv);
  const sealed = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
  return [ENCRYPTED, iv, cipher.getAuthTag(), sealed]
    .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
    .join(':');
}

/** The private JWK back; throws when it was sealed with another secret (or none is given). */
export function openPrivateJwk(stored: string, secret: string | undefined): JWK {
  const [scheme, ...parts] = stored.split(':');
  if (scheme === PLAIN)
    return JSON.parse(Buffer.from(parts[0] ?? '', 'base64url').toString()) as JWK;
  if (scheme !== ENCRYPTED || parts.length !== 3) throw new Error('Unknown signing key format.');
  if (!secret) throw new Error('The signing keys are encrypted: set OAUTH_KEY_SECRET.');
  const [iv, tag, sealed] = parts.map((part) => Buffer.from(part, 'base64url')) as [
    Buffer,
    Buffer,
    Buffer,
  ];
  const decipher = createDecipheriv('aes-256-gcm', keyOf(secret), iv);
  decipher.setAuthTag(tag);
  const text = Buffer.concat([decipher.update(sealed), decipher.final()]).toString('utf8');
  return JSON.parse(text) as JWK;
}

/** A new ES256 key pair, stored (the private part sealed). Not yet announced. */
async function newSigningKey(
  em: EntityManager,
  secret: string | undefined,
): Promise<OAuthSigningKey> {
  const { publicKey, privateKey } = await generateKeyPair(SIGNING_ALG, { extractable: true });
  const kid = `osk-${randomBase62(16)}`;
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: SIGNING_ALG, use: 'sig' };
  const privateJwk = { ...(await exportJWK(privateKey)), kid, alg: SIGNING_ALG, use: 'sig' };
  const key = new OAuthSigningKey(kid, publicJwk, sealPrivateJwk(privateJwk, secret));
  em.persist(key);
  return key;
}

export interface SigningKeys {
  /** The key that signs new tokens. */
  current: string;
  /** Private JWKs of every published key, the current one first. */
  privateJwks: JWK[];
}

/** Keys still published (current and retired within their window), newest first. */
async function publishedKeys(em: EntityManager, now: Date): Promise<OAuthSigningKey[]> {
  return em.find(
    OAuthSigningKey,
    { $or: [{ expiresAt: null }, { expiresAt: { $gt: now } }] },
    { orderBy: { createdAt: 'desc', id: 'desc' }, populate: ['privateJwk'] },
  );
}

/**
 * The keys the authorization server signs with, making the first one when there is none (two
 * instances starting at once: the loser of the race reads the winner's).
 */
export async function loadSigningKeys(
  em: EntityManager,
  secret: string | undefined,
): Promise<SigningKeys> {
  let keys = await publishedKeys(em, new Date());
  if (!keys.some((key) => key.retiredAt === null)) {
    await em.transactional(async (tx) => {
      await tx
        .getConnection()
        .execute(`select pg_advisory_xact_lock(hashtext('oauth_signing_key'))`);
      const fresh = await publishedKeys(tx, new Date());
      if (!fresh.some((key) => key.retiredAt === null)) await newSigningKey(tx, secret);
    });
    keys = await publishedKeys(em.fork(), new Date());
  }
  const current = keys.find((key) => key.retiredAt === null);
  if (!current) throw new Error('No OAuth signing key.');
  const ordered = [current, ...keys.filter((key) => key !== current)];
  return {
    current: current.kid,
    privateJwks: ordered.map((key) => openPrivateJwk(key.privateJwk, secret)),
  };
}

/**
 * Makes a new signing key and retires the current one, which stays published until the last
 * token it signed has expired. Runs in the caller's transaction; every instance reloads its
 * keys on the event.
 */
export async function rotateSigningKey(
  em: EntityManager,
  secret: string | undefined,
  now = new Date(),
): Promise<OAuthSigningKey> {
  await em.getConnection().execute(`select pg_advisory_xact_lock(hashtext('oauth_signing_key'))`);
  const active = await em.find(OAuthSigningKey, { retiredAt: null });
  for (const key of active) {
    key.retiredAt = now;
    key.expiresAt = new Date(now.getTime() + RETIRED_KEY_PUBLISHED_MS);
  }
  const key = await newSigningKey(em, secret);
  await publish(em, 'oauth.signing_keys_changed', { subjectId: key.id });
  return key;
}

/** Whether the current signing key is older than SIGNING_KEY_MAX_AGE_MS (the job rotates it). */
export async function signingKeyIsDue(em: EntityManager, now = new Date()): Promise<boolean> {
  const current = await em.findOne(
    OAuthSigningKey,
    { retiredAt: null },
    { orderBy: { createdAt: 'desc' } },
  );
  return !current || now.getTime() - current.createdAt.getTime() > SIGNING_KEY_MAX_AGE_MS;
}
