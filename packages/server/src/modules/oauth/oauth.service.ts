import type { EntityManager } from '@mikro-orm/postgresql';
import { importJWK, importSPKI, exportJWK, calculateJwkThumbprint, type JWK } from 'jose';
import { createPublicKey } from 'node:crypto';
import { z } from 'zod';
import { requireViewer } from '../../auth/permissions.js';
import type { Context } from '../../context.js';
import { badInput, notFound } from '../../errors.js';
import { fields, parseInput } from '../../graphql/validation.js';
import { recordAudit } from '../../audit/record.js';
import { publish } from '../../events/events.service.js';
import { User } from '../accounts/accounts.entity.js';
import { App } from '../apps/apps.entity.js';
import { loadAppToManage } from '../apps/apps.access.js';
import { Organization } from '../orgs/orgs.entity.js';
import { revokeGrant } from './oauth.adapter.js';
import { AppKey, OAuthAuthorization, OAuthSigningKey } from './oauth.entity.js';
import { rotateSigningKey } from './oauth.keys.js';

/** The apps the viewer authorized (not revoked), most recently used first. */
export async function listAuthorizedApps(ctx: Context): Promise<OAuthAuthorization[]> {
  const viewer = requireViewer(ctx);
  return ctx.em.find(
    OAuthAuthorization,
    { user: viewer.user.id, revokedAt: null, app: { deletedAt: null } },
    { orderBy: { lastUsedAt: 'desc nulls last', approvedAt: 'desc' }, populate: ['app'] },
  );
}

/**
 * Records (or renews) the user's consent to the app, with its grant, in one transaction with
 * its audit entry. A grant it replaces is revoked with its tokens.
 */
export async function recordAuthorization(
  ctx: Context,
  input: {
    appId: string;
    organizationId: string;
    clientId: string;
    grantId: string;
    scopes: string[];
  },
): Promise<OAuthAuthorization> {
  const viewer = requireViewer(ctx);
  const replaced: string[] = [];
  const authorization = await ctx.em.transactional(async (em) => {
    let row = await em.findOne(OAuthAuthorization, { user: viewer.user.id, app: input.appId });
    if (row) {
      if (row.grantId !== input.grantId && !row.revokedAt) replaced.push(row.grantId);
      row.grantId = input.grantId;
      row.clientId = input.clientId;
      row.scopes = input.scopes;
      row.approvedAt = new Date();
      row.revokedAt = null;
    } else {
      row = new OAuthAuthorization({
        user: em.getReference(User, viewer.user.id, { wrapped: true }),
        app: em.getReference(App, input.appId, { wrapped: true }),
        organization: em.getReference(Organization, input.organizationId, { wrapped: true }),
        clientId: input.clientId,
        grantId: input.grantId,
        scopes: input.scopes,
      });
      em.persist(row);
    }
    recordAudit(em, ctx, {
      organizationId: input.organizationId,
      action: 'oauth.authorize',
      targetType: 'App',
      targetId: input.appId,
      data: { scopes: input.scopes.join(' '), authorizationId: row.id },
    });
    return row;
  });
  for (const grantId of replaced) await revokeGrant(ctx.em.fork(), grantId);
  return authorization;
}

/** Records that the user refused the app (nothing is granted). */
export async function recordRefusal(
  ctx: Context,
  input: { appId: string; organizationId: string },
): Promise<void> {
  await ctx.em.transactional(async (em) => {
    recordAudit(em, ctx, {
      organizationId: input.organizationId,
      action: 'oauth.deny',
      targetType: 'App',
      targetId: input.appId,
    });
  });
}

const RevokeInput = z.object({
  authorizationId: z.string().trim().min(1, 'The authorization id is missing.'),
});

/**
 * The viewer takes back an app's access: its grant and every token issued under it are
 * deleted and every gateway hears of it. Revoking twice is a no-op.
 */
export async function revokeAuthorizedApp(
  ctx: Context,
  input: z.input<typeof RevokeInput>,
): Promise<OAuthAuthorization> {
  const viewer = requireViewer(ctx);
  const data = parseInput(RevokeInput, input);
  const row = await ctx.em.transactional(async (em) => {
    const found = await em.findOne(OAuthAuthorization, {
      id: data.authorizationId,
      user: viewer.user.id,
    });
    if (!found) throw notFound('Authorized app', 'authorizationId');
    if (found.revokedAt) return found;
    found.revokedAt = new Date();
    recordAudit(em, ctx, {
      organizationId: found.organization.id,
      action: 'oauth.revoke',
      targetType: 'App',
      targetId: found.app.id,
      data: { authorizationId: found.id },
    });
    return found;
  });
  await revokeGrant(ctx.em.fork(), row.grantId);
  return row;
}

/** Staff: a new signing key now; the old one stays published until its tokens expire. */
export async function rotateOAuthSigningKey(ctx: Context): Promise<OAuthSigningKey> {
  return ctx.em.transactional(async (em) => {
    const key = await rotateSigningKey(em, ctx.env.OAUTH_KEY_SECRET);
    recordAudit(em, ctx, {
      organizationId: null,
      action: 'oauth.signing_key.rotate',
      targetType: 'OAuthSigningKey',
      targetId: key.id,
      data: { kid: key.kid },
    });
    return key;
  });
}

// ---- App keys (private_key_jwt) ----

const MAX_KEYS_PER_APP = 5;

const AddKeyInput = z
  .object({
    appId: z.string().trim().min(1, 'The app id is missing.'),
    publicKey: fields
      .optionalText('Public key', 16_384)
      .nullish()
      .transform((value) => value || null),
    jwksUrl: fields.optionalUrl('JWKS URL'),
  })
  .refine((value) => !!value.publicKey !== !!value.jwksUrl, {
    message: 'Give either a public key (JWK or PEM) or a JWKS URL.',
    path: ['publicKey'],
  });

const RemoveKeyInput = z.object({ appKeyId: z.string().trim().min(1, 'The key id is missing.') });

/** A public key read from a JWK (JSON) or PEM text: EC P-256, or RSA of 2048 bits or more. */
export async function readPublicKey(text: string): Promise<{ jwk: JWK; keyType: string }> {
  let jwk: JWK;
  try {
    if (text.startsWith('{')) {
      const parsed = JSON.parse(text) as JWK;
      if (parsed.d || parsed.p || parsed.k) {
        throw badInput('publicKey', 'This is a private key: give only the public key.');
      }
      const key = await importJWK(
        { ...parsed, ext: true },
        parsed.kty === 'EC' ? 'ES256' : 'RS256',
        { extractable: true },
      );
      jwk = await exportJWK(key);
    } else {
      if (/PRIVATE KEY/.test(text)) {
        throw badInput('publicKey', 'This is a private key: give only the public key.');
      }
      const node = createPublicKey(text);
      const bits = node.asymmetricKeyDetails?.modulusLength;
      if (node.asymmetricKeyType === 'rsa' && bits !== undefined && bits < 2048) {
        throw badInput('publicKey', 'RSA keys must have 2048 bits or more.');
      }
      const alg = node.asymmetricKeyType === 'ec' ? 'ES256' : 'RS256';
      jwk = await exportJWK(
        await importSPKI(node.export({ type: 'spki', format: 'pem' }).toString(), alg, {
          extractable: true,
        }),
      );
    }
  } catch (err) {
    if (err instanceof Error && 'extensions' in err) throw err;
    throw badInput('publicKey', 'This is not a public key in JWK or PEM form.');
  }
  if (jwk.kty === 'EC') {
    if (jwk.crv !== 'P-256') throw badInput('publicKey', 'EC keys must be on the P-256 curve.');
    return { jwk: { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y }, keyType: 'EC P-256' };
  }
  if (jwk.kty === 'RSA') {
    const bits = Buffer.from(jwk.n ?? '', 'base64url').length * 8;
    if (bits < 2048) throw badInput('publicKey', 'RSA keys must have 2048 bits or more.');
    return { jwk: { kty: 'RSA', n: jwk.n, e: jwk.e }, keyType: `RSA ${bits}` };
  }
  throw badInput('publicKey', 'Only EC P-256 and RSA keys are accepted.');
}

/** The app's public keys (not removed), oldest first. */
export async function listAppKeys(em: EntityManager, appId: string): Promise<AppKey[]> {
  return em.find(
    AppKey,
    { app: appId, removedAt: null },
    { orderBy: { createdAt: 'asc', id: 'asc' } },
  );
}

/**
 * Registers a public key (or a JWKS URL) the app authenticates with instead of its client
 * secret. Audited; the gateways hear of it (a change of how the app authenticates).
 */
export async function addAppKey(ctx: Context, input: z.input<typeof AddKeyInput>): Promise<AppKey> {
  const viewer = requireViewer(ctx);
  const data = parseInput(AddKeyInput, input);
  const read = data.publicKey ? await readPublicKey(data.publicKey) : null;
  return ctx.em.transactional(async (em) => {
    const app = await loadAppToManage(ctx, em, data.appId, { lock: true });
    const existing = await listAppKeys(em, app.id);
    if (existing.length >= MAX_KEYS_PER_APP) {
      throw badInput('appId', `An app has ${MAX_KEYS_PER_APP} keys at most: remove one first.`);
    }
    const kid = read ? await calculateJwkThumbprint(read.jwk) : `jwks-${existing.length + 1}`;
    if (existing.some((key) => key.kid === kid)) {
      throw badInput('publicKey', 'The app already has this key.');
    }
    const key = new AppKey({
      app: em.getReference(App, app.id, { wrapped: true }),
      organization: em.getReference(Organization, app.organization.id, { wrapped: true }),
      kid,
      keyType: read ? read.keyType : 'JWKS URL',
      publicJwk: read ? { ...read.jwk, kid, use: 'sig' } : null,
      jwksUrl: data.jwksUrl ?? null,
      createdBy: em.getReference(User, viewer.user.id, { wrapped: true }),
    });
    em.persist(key);
    recordAudit(em, ctx, {
      organizationId: app.organization.id,
      action: 'app_key.add',
      targetType: 'App',
      targetId: app.id,
      data: { kid, keyType: key.keyType },
    });
    await publish(em, 'app.updated', {
      subjectId: app.id,
      organizationId: app.organization.id,
      changed: 'keys',
    });
    return key;
  });
}

/** Removes a key: assertions signed with it are refused from now on. Audited. */
export async function removeAppKey(
  ctx: Context,
  input: z.input<typeof RemoveKeyInput>,
): Promise<AppKey> {
  requireViewer(ctx);
  const data = parseInput(RemoveKeyInput, input);
  return ctx.em.transactional(async (em) => {
    const key = await em.findOne(AppKey, { id: data.appKeyId, removedAt: null });
    if (!key) throw notFound('App key', 'appKeyId');
    const app = await loadAppToManage(ctx, em, key.app.id, { field: 'appKeyId', what: 'App key' });
    key.removedAt = new Date();
    recordAudit(em, ctx, {
      organizationId: app.organization.id,
      action: 'app_key.remove',
      targetType: 'App',
      targetId: app.id,
      data: { kid: key.kid },
    });
    await publish(em, 'app.updated', {
      subjectId: app.id,
      organizationId: app.organization.id,
      changed: 'keys',
    });
    return key;
  });
}
