import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { requireViewer } from '../../auth/permissions.js';
import { assertOrgAction, checkOrgAction } from '../orgs/orgs.access.js';
import type { Context } from '../../context.js';
import { generateToken, sha256 } from '../../crypto.js';
import { conflict, notFound } from '../../errors.js';
import { publish } from '../../events/events.service.js';
import { parseInput } from '../../graphql/validation.js';
import { andThen, batchPerTurn, perRequest, SettledLoader } from '../../loaders.js';
import { readByApp } from '../../db/rows.js';
import { User } from '../accounts/accounts.entity.js';
import { loadAppToManage } from '../apps/apps.access.js';
import { App } from '../apps/apps.entity.js';
import { recordAudit } from '../../audit/record.js';
import { Organization } from '../orgs/orgs.entity.js';
import {
  Credential,
  CREDENTIAL_PREFIXES,
  CredentialKind,
  CredentialStatus,
} from './credentials.entity.js';
import { appLoaders } from '../apps/apps.loaders.js';
import { prefetchForAppLists } from '../apps/apps.prefetch.js';

const DAY_MS = 86_400_000;
export const MAX_GRACE_DAYS = 30;

const id = (label: string) => z.string().trim().min(1, `${label} is missing.`);

const CreateInput = z.object({ appId: id('The app id'), kind: z.enum(CredentialKind) });
const CredentialIdInput = z.object({ credentialId: id('The credential id') });
const RotateInput = CredentialIdInput.extend({
  graceDays: z
    .number()
    .int('Give a whole number of days.')
    .min(0, 'The grace period cannot be negative.')
    .max(MAX_GRACE_DAYS, `The grace period is at most ${MAX_GRACE_DAYS} days.`),
});

export interface IssuedCredential {
  credential: Credential;
  /** Shown once, in the payload of the mutation that made it. */
  secret: string;
  publicId: string | null;
}

/** Makes a credential of `kind` for the app in `em`'s unit of work; only the hash is kept. */
function issueCredential(
  em: EntityManager,
  ctx: Context,
  app: App,
  kind: CredentialKind,
  rotatedFrom: Credential | null,
): IssuedCredential {
  const viewer = requireViewer(ctx);
  const prefixes = CREDENTIAL_PREFIXES[kind];
  const publicId = prefixes.publicId ? generateToken(prefixes.publicId) : null;
  const secret = generateToken(prefixes.secret);
  const credential = new Credential({
    app: em.getReference(App, app.id, { wrapped: true }),
    organization: em.getReference(Organization, app.organization.id, { wrapped: true }),
    kind,
    publicId,
    secretHash: sha256(secret),
    lastFour: secret.slice(-4),
    createdBy: em.getReference(User, viewer.user.id, { wrapped: true }),
    rotatedFrom: rotatedFrom
      ? em.getReference(Credential, rotatedFrom.id, { wrapped: true })
      : null,
  });
  em.persist(credential);
  return { credential, secret, publicId };
}

/**
 * Tells every gateway (through the org's event stream) that the credential changed: it
 * stopped working (`credential.revoked`), or it was rotated out with a grace period.
 */
async function announceStopped(
  em: EntityManager,
  credential: Credential,
  kind: 'credential.revoked' | 'credential.rotated' = 'credential.revoked',
): Promise<void> {
  await publish(em, kind, {
    subjectId: credential.id,
    organizationId: credential.organization.id,
    appId: credential.app.id,
    kind: credential.kind,
  });
}

function audit(
  em: EntityManager,
  ctx: Context,
  action: string,
  credential: Credential,
  data: Record<string, string | number | null> = {},
): void {
  recordAudit(em, ctx, {
    organizationId: credential.organization.id,
    action,
    targetType: 'Credential',
    targetId: credential.id,
    data: {
      appId: credential.app.id,
      kind: credential.kind,
      publicId: credential.publicId,
      ...data,
    },
  });
}

/** The credential, locked for this transaction, if the viewer may manage its (live) app. */
async function findCredentialToManage(
  ctx: Context,
  em: EntityManager,
  credentialId: string,
): Promise<Credential> {
  const credential = await em.findOne(
    Credential,
    { id: credentialId },
    { lockMode: LockMode.PESSIMISTIC_WRITE },
  );
  if (!credential) throw notFound('Credential', 'credentialId');
  await loadAppToManage(ctx, em, credential.app.id, { field: 'credentialId', what: 'Credential' });
  return credential;
}

function assertStatus(credential: Credential, allowed: CredentialStatus, what: string): void {
  const status = credential.statusAt();
  if (status !== allowed) {
    throw conflict(
      'credentialId',
      `Only ${allowed === CredentialStatus.ACTIVE ? 'an active' : 'a rotated-out'} credential can be ${what} (this one is ${status}).`,
    );
  }
}

/** Makes a credential for an app (its owner or an org admin); the secret is returned once. */
export async function createCredential(
  ctx: Context,
  input: z.input<typeof CreateInput>,
): Promise<IssuedCredential> {
  const data = parseInput(CreateInput, input);
  return ctx.em.transactional(async (em) => {
    const app = await loadAppToManage(ctx, em, data.appId);
    const issued = issueCredential(em, ctx, app, data.kind, null);
    audit(em, ctx, 'credential.create', issued.credential);
    return issued;
  });
}

/** Replaces an active credential: the old one stops at once, the new one is returned once. */
export async function regenerateCredential(
  ctx: Context,
  input: z.input<typeof CredentialIdInput>,
): Promise<IssuedCredential & { previousCredential: Credential }> {
  const data = parseInput(CredentialIdInput, input);
  const viewer = requireViewer(ctx);
  return ctx.em.transactional(async (em) => {
    const old = await findCredentialToManage(ctx, em, data.credentialId);
    assertStatus(old, CredentialStatus.ACTIVE, 'regenerated');
    const app = await em.findOneOrFail(App, { id: old.app.id });
    old.revokedAt = new Date();
    old.revokedBy = em.getReference(User, viewer.user.id, { wrapped: true });
    const issued = issueCredential(em, ctx, app, old.kind, old);
    audit(em, ctx, 'credential.regenerate', old, { newCredentialId: issued.credential.id });
    await announceStopped(em, old);
    return { ...issued, previousCredential: old };
  });
}

/** Revokes a credential; it stops working at once. Revoking twice is a no-op. */
export async function revokeCredential(
  ctx: Context,
  input: z.input<typeof CredentialIdInput>,
): Promise<Credential> {
  const data = parseInput(CredentialIdInput, input);
  const viewer = requireViewer(ctx);
  return ctx.em.transactional(async (em) => {
    const credential = await findCredentialToManage(ctx, em, data.credentialId);
    const status = credential.statusAt();
    if (status === CredentialStatus.REVOKED) return credential;
    credential.revokedAt = new Date();
    credential.revokedBy = em.getReference(User, viewer.user.id, { wrapped: true });
    audit(em, ctx, 'credential.revoke', credential, { previousStatus: status });
    if (status !== CredentialStatus.EXPIRED) await announceStopped(em, credential);
    return credential;
  });
}

/**
 * Rotates an active credential: a new one is made, and the old one keeps working for
 * `graceDays` (0 to 30; 0 ends it at once) so traffic can move over.
 */
export async function rotateCredential(
  ctx: Context,
  input: z.input<typeof RotateInput>,
): Promise<IssuedCredential & { previousCredential: Credential }> {
  const data = parseInput(RotateInput, input);
  return ctx.em.transactional(async (em) => {
    const old = await findCredentialToManage(ctx, em, data.credentialId);
    assertStatus(old, CredentialStatus.ACTIVE, 'rotated');
    const app = await em.findOneOrFail(App, { id: old.app.id });
    const now = Date.now();
    old.expiresAt = new Date(now + data.graceDays * DAY_MS);
    const issued = issueCredential(em, ctx, app, old.kind, old);
    audit(em, ctx, 'credential.rotate', old, {
      newCredentialId: issued.credential.id,
      graceDays: data.graceDays,
      expiresAt: old.expiresAt.toISOString(),
    });
    // Gateways evict it either way: it stops now, or their cached copy learns its grace end.
    await announceStopped(
      em,
      old,
      data.graceDays === 0 ? 'credential.revoked' : 'credential.rotated',
    );
    return { ...issued, previousCredential: old };
  });
}

/** Ends the grace period of a rotated-out credential: it stops working at once. */
export async function endCredentialGrace(
  ctx: Context,
  input: z.input<typeof CredentialIdInput>,
): Promise<Credential> {
  const data = parseInput(CredentialIdInput, input);
  return ctx.em.transactional(async (em) => {
    const credential = await findCredentialToManage(ctx, em, data.credentialId);
    assertStatus(credential, CredentialStatus.IN_GRACE, 'ended early');
    credential.expiresAt = new Date();
    audit(em, ctx, 'credential.end_grace', credential);
    await announceStopped(em, credential);
    return credential;
  });
}

/** The request's loader of apps' credentials (one statement per turn for every app asked). */
const credentialLoader = perRequest((ctx) => {
  const em = ctx.em;
  return new SettledLoader<string, Credential[]>(
    (appIds) => readByApp(em, Credential, appIds),
    batchPerTurn,
  );
});

/** Every credential of the app, newest first (one statement per request for all apps). */
export function credentialsOfApp(ctx: Context, app: App): Credential[] | Promise<Credential[]> {
  return andThen(checkOrgAction(ctx, app.organization.id, 'app:read'), () =>
    credentialLoader(ctx).get(app.id),
  );
}

// A list of apps whose credentials the query asks for reads them before it answers.
prefetchForAppLists((ctx, apps, selected) =>
  selected.has('credentials') ? credentialLoader(ctx).loadMany(apps.map((app) => app.id)) : null,
);

/** `node(id:)` finder: a credential of a live app the viewer may see. */
export async function findCredential(
  ctx: Context,
  credentialId: string,
): Promise<Credential | null> {
  if (!ctx.viewer) return null;
  const credential = await ctx.em.findOne(Credential, { id: credentialId });
  if (!credential) return null;
  const app = await appLoaders(ctx).appById.load(credential.app.id);
  if (!app) return null;
  try {
    await assertOrgAction(ctx, app.organization.id, 'app:read');
  } catch {
    return null;
  }
  return credential;
}

/**
 * Revokes every credential of an app being deleted, in the deleting transaction: the next
 * verification fails, and gateways are told about those that still worked.
 */
export async function revokeCredentialsOfDeletedApp(
  em: EntityManager,
  ctx: Context,
  app: App,
): Promise<void> {
  const live = await em.find(
    Credential,
    { app: app.id, revokedAt: null },
    { lockMode: LockMode.PESSIMISTIC_WRITE, orderBy: { createdAt: 'asc', id: 'asc' } },
  );
  const actorId = ctx.viewer?.user.id ?? null;
  const now = new Date();
  for (const credential of live) {
    const status = credential.statusAt(now);
    credential.revokedAt = now;
    credential.revokedBy = actorId ? em.getReference(User, actorId, { wrapped: true }) : null;
    audit(em, ctx, 'credential.revoke', credential, {
      previousStatus: status,
      reason: 'app deleted',
    });
    if (status !== CredentialStatus.EXPIRED) await announceStopped(em, credential);
  }
}

/** A credential that staff rotated out, with the end of its grace period. */
export interface StaffRotatedCredential {
  credential: Credential;
  expiresAt: Date;
}

/**
 * Staff rotate every active credential of `app` in `em`'s transaction (a bulk run's item):
 * each keeps working for `graceDays` (0 to 30; 0 ends it at once) and then stops, so its owner
 * moves to a new credential they make themselves (a new secret is shown only to whoever makes
 * it, so staff do not make it for them). Audited per credential; gateways are told.
 */
export async function rotateCredentialsOfAppByStaff(
  em: EntityManager,
  ctx: Context,
  app: App,
  graceDays: number,
  origin: { bulkRunId?: string; reason?: string | null } = {},
): Promise<StaffRotatedCredential[]> {
  if (!Number.isInteger(graceDays) || graceDays < 0 || graceDays > MAX_GRACE_DAYS) {
    throw conflict('graceDays', `The grace period is 0 to ${MAX_GRACE_DAYS} days.`);
  }
  const now = new Date();
  const live = await em.find(
    Credential,
    { app: app.id, revokedAt: null, expiresAt: null },
    { lockMode: LockMode.PESSIMISTIC_WRITE, orderBy: { createdAt: 'asc', id: 'asc' } },
  );
  const expiresAt = new Date(now.getTime() + graceDays * DAY_MS);
  const rotated: StaffRotatedCredential[] = [];
  for (const credential of live) {
    credential.expiresAt = expiresAt;
    audit(em, ctx, 'credential.rotate', credential, {
      graceDays,
      expiresAt: expiresAt.toISOString(),
      reason: origin.reason ?? null,
      bulkRunId: origin.bulkRunId ?? null,
    });
    await announceStopped(
      em,
      credential,
      graceDays === 0 ? 'credential.revoked' : 'credential.rotated',
    );
    rotated.push({ credential, expiresAt });
  }
  return rotated;
}

/** The ids of the app's active credentials (not rotated out, not revoked), oldest first. */
export async function activeCredentialIdsOfApps(
  em: EntityManager,
  appIds: readonly string[],
): Promise<Map<string, string[]>> {
  const rows = appIds.length
    ? await em.find(
        Credential,
        { app: { $in: [...appIds] }, revokedAt: null, expiresAt: null },
        { orderBy: { createdAt: 'asc', id: 'asc' }, fields: ['id', 'app'] },
      )
    : [];
  const byApp = new Map<string, string[]>();
  for (const row of rows) {
    const list = byApp.get(row.app.id) ?? [];
    list.push(row.id);
    byApp.set(row.app.id, list);
  }
  return byApp;
}
