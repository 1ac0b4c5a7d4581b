import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { Adapter, AdapterPayload } from 'oidc-provider';
import { publish } from '../../events/events.service.js';
import { clientMetadata, findClientApp } from './oauth.clients.js';
import { OAuthAuthorization, OAuthRecord } from './oauth.entity.js';

/** Kinds whose removal takes away an app's access: the gateways must hear of it. */
const TOKEN_KINDS = new Set(['AccessToken', 'ClientCredentials', 'RefreshToken', 'Grant']);

/** The app and organization of a client id (working or not), for the revocation event. */
async function appOfClient(
  em: EntityManager,
  clientId: string,
): Promise<{ appId: string; organizationId: string } | null> {
  const rows = await em
    .getConnection()
    .execute<{ app_id: string; organization_id: string }[]>(
      `select c.app_id, c.organization_id from credential c where c.public_id = ?`,
      [clientId],
      'all',
      em.getTransactionContext(),
    );
  const row = rows[0];
  return row ? { appId: row.app_id, organizationId: row.organization_id } : null;
}

/**
 * Tells every instance (the gateways' caches) that the app's tokens changed, in the
 * transaction of the change; a token of an unknown client changes nothing anyone caches.
 */
export async function announceRevocation(
  em: EntityManager,
  clientId: string | undefined,
  subjectId: string,
): Promise<void> {
  if (!clientId) return;
  const app = await appOfClient(em, clientId);
  if (!app) return;
  await publish(em, 'oauth.tokens_revoked', {
    subjectId,
    organizationId: app.organizationId,
    appId: app.appId,
  });
}

const clientIdOf = (payload: Record<string, unknown>): string | undefined =>
  typeof payload.clientId === 'string' ? payload.clientId : undefined;

/**
 * The authorization server's storage in PostgreSQL (`oauth_record`), one adapter per model
 * kind as oidc-provider asks. `Client` is not stored: it is read from the app and its OAuth 2.0
 * client credential each time, so that a change of the app applies at once.
 */
export class PostgresOAuthAdapter implements Adapter {
  constructor(
    private readonly orm: MikroORM,
    private readonly kind: string,
    /** The scopes the provider knows (a product newer than the provider is left out). */
    private readonly knownScopes: ReadonlySet<string>,
  ) {}

  private em(): EntityManager {
    return this.orm.em.fork();
  }

  async upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
    const em = this.em();
    const record = {
      kind: this.kind,
      id,
      payload: payload as Record<string, unknown>,
      grantId: typeof payload.grantId === 'string' ? payload.grantId : null,
      uid: typeof payload.uid === 'string' ? payload.uid : null,
      userCode: typeof payload.userCode === 'string' ? payload.userCode : null,
      expiresAt: expiresIn ? new Date(Date.now() + expiresIn * 1000) : null,
    };
    await em.upsert(OAuthRecord, record, {
      onConflictFields: ['kind', 'id'],
      onConflictAction: 'merge',
      onConflictMergeFields: ['payload', 'grantId', 'uid', 'userCode', 'expiresAt'],
    });
  }

  async find(id: string): Promise<AdapterPayload | undefined> {
    const em = this.em();
    if (this.kind === 'Client') {
      const app = await findClientApp(em, id);
      if (!app) return undefined;
      const metadata = clientMetadata(app);
      metadata.scope = String(metadata.scope)
        .split(' ')
        .filter((scope) => this.knownScopes.has(scope))
        .join(' ');
      return metadata as AdapterPayload;
    }
    return this.payloadOf(await em.findOne(OAuthRecord, { kind: this.kind, id }));
  }

  async findByUid(uid: string): Promise<AdapterPayload | undefined> {
    return this.payloadOf(await this.em().findOne(OAuthRecord, { kind: this.kind, uid }));
  }

  async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
    return this.payloadOf(await this.em().findOne(OAuthRecord, { kind: this.kind, userCode }));
  }

  private payloadOf(record: OAuthRecord | null): AdapterPayload | undefined {
    if (!record) return undefined;
    if (record.expiresAt && record.expiresAt.getTime() <= Date.now()) return undefined;
    const payload = { ...record.payload } as AdapterPayload;
    if (record.consumedAt) payload.consumed = Math.floor(record.consumedAt.getTime() / 1000);
    return payload;
  }

  async consume(id: string): Promise<void> {
    await this.em().nativeUpdate(OAuthRecord, { kind: this.kind, id }, { consumedAt: new Date() });
  }

  async destroy(id: string): Promise<void> {
    await this.em().transactional(async (em) => {
      const record = await em.findOne(OAuthRecord, { kind: this.kind, id });
      if (!record) return;
      await em.nativeDelete(OAuthRecord, { kind: this.kind, id });
      if (TOKEN_KINDS.has(this.kind)) {
        await announceRevocation(em, clientIdOf(record.payload), id);
      }
    });
  }

  /**
   * Everything issued under a grant goes (a reused authorization code or refresh token, a
   * revoked authorization): its tokens, and the authorization it was made for.
   */
  async revokeByGrantId(grantId: string): Promise<void> {
    await revokeGrant(this.orm.em.fork(), grantId);
  }
}

/** Deletes a grant and every token issued under it, and says so to every instance. */
export async function revokeGrant(em: EntityManager, grantId: string): Promise<void> {
  await em.transactional(async (tx) => {
    const records = await tx.find(OAuthRecord, {
      $or: [{ grantId }, { kind: 'Grant', id: grantId }],
    });
    if (records.length === 0) return;
    await tx.nativeDelete(OAuthRecord, { $or: [{ grantId }, { kind: 'Grant', id: grantId }] });
    await tx.nativeUpdate(
      OAuthAuthorization,
      { grantId, revokedAt: null },
      { revokedAt: new Date() },
    );
    const clientId = records.map((record) => clientIdOf(record.payload)).find(Boolean);
    await announceRevocation(tx, clientId, grantId);
  });
}

/** Deletes the stored records past their expiry; returns how many. */
export async function deleteExpiredRecords(em: EntityManager, now = new Date()): Promise<number> {
  return em.nativeDelete(OAuthRecord, { expiresAt: { $lte: now } });
}
