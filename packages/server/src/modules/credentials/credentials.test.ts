import { describe, expect, it } from 'vitest';
import { hasValidChecksum, sha256 } from '../../crypto.js';
import { useTestServer } from '../../../test/harness.js';
import { signUpUser, type SignedInUser } from '../../../test/builders.js';
import {
  auditEntriesFor,
  createApp,
  orgWithMembers,
  type OrgWithMembers,
} from '../../../test/app-builders.js';
import { DomainEvent } from '../../events/events.entity.js';
import { CREDENTIAL_PREFIXES, CredentialKind } from './credentials.entity.js';

const server = useTestServer();

const CREDENTIAL_FIELDS = `id kind publicId lastFour status createdAt lastUsedAt revokedAt
  expiresAt rotatedFromId createdBy { id } revokedBy { id } app { id }`;
const CREATE = `mutation ($input: CreateCredentialInput!) {
  createCredential(input: $input) { secret publicId credential { ${CREDENTIAL_FIELDS} } }
}`;
const REGENERATE = `mutation ($input: RegenerateCredentialInput!) {
  regenerateCredential(input: $input) {
    secret publicId credential { ${CREDENTIAL_FIELDS} } previousCredential { ${CREDENTIAL_FIELDS} }
  }
}`;
const ROTATE = `mutation ($input: RotateCredentialInput!) {
  rotateCredential(input: $input) {
    secret publicId credential { ${CREDENTIAL_FIELDS} } previousCredential { ${CREDENTIAL_FIELDS} }
  }
}`;
const REVOKE = `mutation ($input: RevokeCredentialInput!) {
  revokeCredential(input: $input) { credential { ${CREDENTIAL_FIELDS} } }
}`;
const END_GRACE = `mutation ($input: EndCredentialGraceInput!) {
  endCredentialGrace(input: $input) { credential { ${CREDENTIAL_FIELDS} } }
}`;
const APP_CREDENTIALS = `query ($id: ID!) { app(id: $id) { id credentials { ${CREDENTIAL_FIELDS} } } }`;
const NODE = `query ($id: ID!) { node(id: $id) { id ... on Credential { kind status } } }`;

interface CredentialFields {
  id: string;
  kind: string;
  publicId: string | null;
  lastFour: string;
  status: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  expiresAt: string | null;
  rotatedFromId: string | null;
  createdBy: { id: string } | null;
  revokedBy: { id: string } | null;
  app: { id: string };
}

interface Issued {
  secret: string;
  publicId: string | null;
  credential: CredentialFields;
}

interface Replaced extends Issued {
  previousCredential: CredentialFields;
}

const DAY_MS = 86_400_000;

async function sql<T = Record<string, unknown>>(
  query: string,
  params: unknown[] = [],
): Promise<T[]> {
  return server.orm.em.fork().getConnection().execute<T[]>(query, params);
}

async function create(user: SignedInUser, appId: string, kind = 'CONSUMER_KEY'): Promise<Issued> {
  const data = await user.client.ok<{ createCredential: Issued }>(CREATE, {
    input: { appId, kind },
  });
  return data.createCredential;
}

async function regenerate(user: SignedInUser, credentialId: string): Promise<Replaced> {
  const data = await user.client.ok<{ regenerateCredential: Replaced }>(REGENERATE, {
    input: { credentialId },
  });
  return data.regenerateCredential;
}

async function rotate(
  user: SignedInUser,
  credentialId: string,
  graceDays: number,
): Promise<Replaced> {
  const data = await user.client.ok<{ rotateCredential: Replaced }>(ROTATE, {
    input: { credentialId, graceDays },
  });
  return data.rotateCredential;
}

async function revoke(user: SignedInUser, credentialId: string): Promise<CredentialFields> {
  const data = await user.client.ok<{ revokeCredential: { credential: CredentialFields } }>(
    REVOKE,
    { input: { credentialId } },
  );
  return data.revokeCredential.credential;
}

async function endGrace(user: SignedInUser, credentialId: string): Promise<CredentialFields> {
  const data = await user.client.ok<{ endCredentialGrace: { credential: CredentialFields } }>(
    END_GRACE,
    { input: { credentialId } },
  );
  return data.endCredentialGrace.credential;
}

async function credentialsOf(user: SignedInUser, appId: string): Promise<CredentialFields[]> {
  const data = await user.client.ok<{ app: { credentials: CredentialFields[] } }>(APP_CREDENTIALS, {
    id: appId,
  });
  return data.app.credentials;
}

async function statusOf(user: SignedInUser, appId: string, id: string): Promise<string> {
  const found = (await credentialsOf(user, appId)).find((c) => c.id === id);
  if (!found) throw new Error(`credential ${id} not listed`);
  return found.status;
}

/** `credential.revoked` events on the organization's stream for one credential. */
async function revokedEvents(organizationId: string, credentialId: string): Promise<DomainEvent[]> {
  return server.orm.em.fork().find(DomainEvent, {
    topic: `org:${organizationId}`,
    kind: 'credential.revoked',
    subjectId: credentialId,
  });
}

/** Every column of the credential table and of audit/event rows, as text. */
async function storedText(): Promise<string> {
  const rows = await sql<{ text: string }>(
    `select (select coalesce(json_agg(c)::text, '') from credential c)
       || (select coalesce(json_agg(a)::text, '') from audit_entry a)
       || (select coalesce(json_agg(e)::text, '') from domain_event e) as text`,
  );
  return rows[0]?.text ?? '';
}

interface Setup {
  org: OrgWithMembers;
  admin: SignedInUser;
  owner: SignedInUser;
  developer: SignedInUser;
  appId: string;
}

/** An org with an admin and two developers; the first developer owns an app. */
async function setup(): Promise<Setup> {
  const org = await orgWithMembers(server, { admins: 1, developers: 2 });
  const [admin] = org.admins as [SignedInUser];
  const [owner, developer] = org.developers as [SignedInUser, SignedInUser];
  const app = await createApp(owner.client, org.id);
  return { org, admin, owner, developer, appId: app.id };
}

describe('creating credentials', () => {
  it.each(Object.values(CredentialKind))(
    'makes a %s in its format, shows the secret once and stores only its hash',
    async (kind) => {
      const { owner, appId } = await setup();
      const issued = await create(owner, appId, kind);
      const prefixes = CREDENTIAL_PREFIXES[kind];

      expect(issued.secret).toMatch(new RegExp(`^${prefixes.secret}_[0-9A-Za-z]{38}$`));
      expect(hasValidChecksum(issued.secret, prefixes.secret)).toBe(true);
      // One changed character breaks the checksum.
      const last = issued.secret.at(-1) === 'a' ? 'b' : 'a';
      expect(hasValidChecksum(issued.secret.slice(0, -1) + last, prefixes.secret)).toBe(false);
      if (prefixes.publicId) {
        expect(issued.publicId).toMatch(new RegExp(`^${prefixes.publicId}_[0-9A-Za-z]{38}$`));
        expect(hasValidChecksum(issued.publicId!, prefixes.publicId)).toBe(true);
      } else {
        expect(issued.publicId).toBeNull();
      }
      expect(issued.credential).toMatchObject({
        kind,
        publicId: issued.publicId,
        lastFour: issued.secret.slice(-4),
        status: 'ACTIVE',
        revokedAt: null,
        expiresAt: null,
        rotatedFromId: null,
        createdBy: { id: owner.id },
        app: { id: appId },
      });
      expect(issued.credential.id).toMatch(/^crd_/);

      const rows = await sql<Record<string, unknown>>(`select * from credential where id = ?`, [
        issued.credential.id,
      ]);
      expect(rows).toHaveLength(1);
      expect(rows[0]?.secret_hash).toBe(sha256(issued.secret));
      expect(rows[0]?.public_id).toBe(issued.publicId);
      expect(JSON.stringify(rows[0])).not.toContain(issued.secret);
      expect(await storedText()).not.toContain(issued.secret);

      // Listed afterwards without any secret.
      const listed = await credentialsOf(owner, appId);
      expect(listed.map((c) => c.id)).toEqual([issued.credential.id]);
      expect(JSON.stringify(listed)).not.toContain(issued.secret);

      const audit = await auditEntriesFor(server, issued.credential.id);
      expect(audit.map((e) => e.action)).toEqual(['credential.create']);
      expect(audit[0]?.data).toMatchObject({ appId, kind });
    },
  );

  it('has no field that could read a secret back', async () => {
    const { owner } = await setup();
    const data = await owner.client.ok<{ __type: { fields: { name: string }[] } }>(
      `{ __type(name: "Credential") { fields { name } } }`,
    );
    const names = data.__type.fields.map((f) => f.name);
    expect(names).toContain('lastFour');
    expect(names.filter((name) => /secret|hash/i.test(name))).toEqual([]);
  });

  it('refuses an unknown kind or a missing app and changes nothing', async () => {
    const { owner, appId } = await setup();
    const unknown = await owner.client.fails(CREATE, { input: { appId, kind: 'JWT_MAGIC' } });
    expect(unknown.code).toBe('BAD_USER_INPUT');
    const missing = await owner.client.fails(CREATE, {
      input: { appId: 'app_doesnotexist', kind: 'BEARER_TOKEN' },
    });
    expect(missing).toMatchObject({ code: 'NOT_FOUND', field: 'appId' });
    expect(await credentialsOf(owner, appId)).toEqual([]);
  });
});

describe('regenerate, revoke, rotate and grace', () => {
  it('regenerates: the old credential stops at once and the new secret is shown once', async () => {
    const { org, owner, appId } = await setup();
    const first = await create(owner, appId, 'OAUTH2_CLIENT');
    const next = await regenerate(owner, first.credential.id);

    expect(next.previousCredential).toMatchObject({
      id: first.credential.id,
      status: 'REVOKED',
      revokedBy: { id: owner.id },
    });
    expect(next.previousCredential.revokedAt).not.toBeNull();
    expect(next.credential).toMatchObject({
      kind: 'OAUTH2_CLIENT',
      status: 'ACTIVE',
      rotatedFromId: first.credential.id,
    });
    expect(next.secret).not.toBe(first.secret);
    expect(next.publicId).not.toBe(first.publicId);
    expect(hasValidChecksum(next.secret, 'pos')).toBe(true);
    expect(await revokedEvents(org.id, first.credential.id)).toHaveLength(1);

    // A revoked credential cannot be regenerated again.
    const again = await owner.client.fails(REGENERATE, {
      input: { credentialId: first.credential.id },
    });
    expect(again).toMatchObject({ code: 'CONFLICT', field: 'credentialId' });

    const audit = await auditEntriesFor(server, first.credential.id);
    expect(audit.map((e) => e.action)).toEqual(['credential.create', 'credential.regenerate']);
    expect(audit[1]?.data).toMatchObject({ newCredentialId: next.credential.id });
    const stored = await storedText();
    expect(stored).not.toContain(first.secret);
    expect(stored).not.toContain(next.secret);
  });

  it('revokes at once; revoking twice is a no-op', async () => {
    const { org, owner, appId } = await setup();
    const issued = await create(owner, appId, 'BEARER_TOKEN');
    const revoked = await revoke(owner, issued.credential.id);
    expect(revoked).toMatchObject({ status: 'REVOKED', revokedBy: { id: owner.id } });
    const twice = await revoke(owner, issued.credential.id);
    expect(twice.revokedAt).toBe(revoked.revokedAt);
    expect(await revokedEvents(org.id, issued.credential.id)).toHaveLength(1);
    const audit = await auditEntriesFor(server, issued.credential.id);
    expect(audit.map((e) => e.action)).toEqual(['credential.create', 'credential.revoke']);
    // Nothing more to do with it.
    expect(
      await owner.client.fails(ROTATE, {
        input: { credentialId: issued.credential.id, graceDays: 3 },
      }),
    ).toMatchObject({ code: 'CONFLICT', field: 'credentialId' });
  });

  it('rotates with a grace period; both work until the grace ends early or runs out', async () => {
    const { org, owner, appId } = await setup();
    const first = await create(owner, appId, 'ACCESS_TOKEN');
    const before = Date.now();
    const rotated = await rotate(owner, first.credential.id, 7);

    expect(rotated.previousCredential.status).toBe('IN_GRACE');
    const expiresAt = new Date(rotated.previousCredential.expiresAt!).getTime();
    expect(expiresAt).toBeGreaterThanOrEqual(before + 7 * DAY_MS - 1000);
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + 7 * DAY_MS + 1000);
    expect(rotated.credential).toMatchObject({
      status: 'ACTIVE',
      kind: 'ACCESS_TOKEN',
      rotatedFromId: first.credential.id,
      expiresAt: null,
    });
    expect(hasValidChecksum(rotated.publicId!, 'pac')).toBe(true);
    expect(hasValidChecksum(rotated.secret, 'pas')).toBe(true);
    expect(await revokedEvents(org.id, first.credential.id)).toEqual([]);

    // An IN_GRACE credential is not rotated again, and an active one has no grace to end.
    expect(
      await owner.client.fails(ROTATE, {
        input: { credentialId: first.credential.id, graceDays: 1 },
      }),
    ).toMatchObject({ code: 'CONFLICT', field: 'credentialId' });
    expect(
      await owner.client.fails(END_GRACE, { input: { credentialId: rotated.credential.id } }),
    ).toMatchObject({ code: 'CONFLICT', field: 'credentialId' });

    const ended = await endGrace(owner, first.credential.id);
    expect(ended.status).toBe('EXPIRED');
    expect(new Date(ended.expiresAt!).getTime()).toBeLessThanOrEqual(Date.now());
    expect(await revokedEvents(org.id, first.credential.id)).toHaveLength(1);
    expect(await statusOf(owner, appId, rotated.credential.id)).toBe('ACTIVE');

    // A grace period that ran out reads EXPIRED.
    const second = await rotate(owner, rotated.credential.id, 30);
    await sql(`update credential set expires_at = now() - interval '1 second' where id = ?`, [
      rotated.credential.id,
    ]);
    expect(await statusOf(owner, appId, rotated.credential.id)).toBe('EXPIRED');
    expect(await statusOf(owner, appId, second.credential.id)).toBe('ACTIVE');

    const audit = await auditEntriesFor(server, first.credential.id);
    expect(audit.map((e) => e.action)).toEqual([
      'credential.create',
      'credential.rotate',
      'credential.end_grace',
    ]);
    expect(audit[1]?.data).toMatchObject({ graceDays: 7, newCredentialId: rotated.credential.id });
    const stored = await storedText();
    for (const secret of [first.secret, rotated.secret, second.secret]) {
      expect(stored).not.toContain(secret);
    }
  });

  it('rotates with 0 grace days: the old credential stops at once', async () => {
    const { org, owner, appId } = await setup();
    const first = await create(owner, appId);
    const rotated = await rotate(owner, first.credential.id, 0);
    expect(rotated.previousCredential.status).toBe('EXPIRED');
    expect(rotated.credential.status).toBe('ACTIVE');
    expect(await revokedEvents(org.id, first.credential.id)).toHaveLength(1);
  });

  it('revokes a credential in its grace period', async () => {
    const { org, owner, appId } = await setup();
    const first = await create(owner, appId);
    await rotate(owner, first.credential.id, 5);
    expect((await revoke(owner, first.credential.id)).status).toBe('REVOKED');
    expect(await revokedEvents(org.id, first.credential.id)).toHaveLength(1);
  });

  it.each([
    [31, 'graceDays'],
    [-1, 'graceDays'],
  ])('refuses graceDays %i and changes nothing', async (graceDays, field) => {
    const { owner, appId } = await setup();
    const first = await create(owner, appId);
    const failure = await owner.client.fails(ROTATE, {
      input: { credentialId: first.credential.id, graceDays },
    });
    expect(failure).toMatchObject({ code: 'BAD_USER_INPUT', field });
    const listed = await credentialsOf(owner, appId);
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ id: first.credential.id, status: 'ACTIVE', expiresAt: null });
    expect((await auditEntriesFor(server, first.credential.id)).map((e) => e.action)).toEqual([
      'credential.create',
    ]);
  });
});

describe('who may manage credentials', () => {
  it('the owner and admins manage; other members read; other orgs see nothing; staff read', async () => {
    const { admin, owner, developer, appId } = await setup();
    const staff = await signUpUser(server, { staff: true });
    const outsiderOrg = await orgWithMembers(server, { admins: 1 });
    const [outsider] = outsiderOrg.admins as [SignedInUser];

    const byOwner = await create(owner, appId);
    const byAdmin = await create(admin, appId, 'BEARER_TOKEN');
    expect(byAdmin.credential.createdBy).toEqual({ id: admin.id });
    const rotatedByAdmin = await rotate(admin, byOwner.credential.id, 2);

    const attempts = (credentialId: string) =>
      [
        [CREATE, { input: { appId, kind: 'CONSUMER_KEY' } }],
        [REGENERATE, { input: { credentialId } }],
        [REVOKE, { input: { credentialId } }],
        [ROTATE, { input: { credentialId, graceDays: 1 } }],
        [END_GRACE, { input: { credentialId: byOwner.credential.id } }],
      ] as const;
    for (const [who, code] of [
      [developer, 'FORBIDDEN'],
      [staff, 'FORBIDDEN'],
      [outsider, 'NOT_FOUND'],
    ] as const) {
      for (const [operation, variables] of attempts(byAdmin.credential.id)) {
        const failure = await who.client.fails(operation, variables);
        expect(failure.code, `${operation} by ${who.name}`).toBe(code);
      }
    }

    // Members and staff read the list (no secrets); outsiders cannot reach the app.
    for (const reader of [developer, staff]) {
      const listed = await credentialsOf(reader, appId);
      expect(listed.map((c) => c.status).sort()).toEqual(['ACTIVE', 'ACTIVE', 'IN_GRACE']);
      const text = JSON.stringify(listed);
      for (const secret of [byOwner.secret, byAdmin.secret, rotatedByAdmin.secret]) {
        expect(text).not.toContain(secret);
      }
      const node = await reader.client.ok<{ node: { id: string; kind: string } | null }>(NODE, {
        id: byAdmin.credential.id,
      });
      expect(node.node).toMatchObject({ id: byAdmin.credential.id, kind: 'BEARER_TOKEN' });
    }
    expect((await outsider.client.fails(APP_CREDENTIALS, { id: appId })).code).toBe('NOT_FOUND');
    const hidden = await outsider.client.ok<{ node: unknown }>(NODE, { id: byAdmin.credential.id });
    expect(hidden.node).toBeNull();

    // Nothing changed through the refused attempts.
    const after = await credentialsOf(owner, appId);
    expect(after).toHaveLength(3);
    expect(after.find((c) => c.id === byAdmin.credential.id)?.status).toBe('ACTIVE');
    expect(after.find((c) => c.id === byOwner.credential.id)?.status).toBe('IN_GRACE');

    // An admin ends the grace of the owner's rotation.
    expect((await endGrace(admin, byOwner.credential.id)).status).toBe('EXPIRED');
  });
});

describe('deleting the app', () => {
  it('revokes every credential at once and tells the gateways', async () => {
    const { org, owner, appId } = await setup();
    const active = await create(owner, appId);
    const graced = await create(owner, appId, 'BEARER_TOKEN');
    await rotate(owner, graced.credential.id, 3);
    await owner.client.ok(
      `mutation ($input: DeleteAppInput!) { deleteApp(input: $input) { deletedAppId } }`,
      { input: { appId, reason: 'no longer needed' } },
    );
    const rows = await sql<{ id: string; revoked_at: Date | null }>(
      `select id, revoked_at from credential where app_id = ?`,
      [appId],
    );
    expect(rows).toHaveLength(3);
    expect(rows.every((row) => row.revoked_at !== null)).toBe(true);
    for (const row of rows) expect(await revokedEvents(org.id, row.id)).toHaveLength(1);
    const audit = await auditEntriesFor(server, active.credential.id);
    expect(audit.at(-1)).toMatchObject({
      action: 'credential.revoke',
      data: { reason: 'app deleted' },
    });
    // The credentials of a deleted app cannot be managed any more.
    const failure = await owner.client.fails(REVOKE, {
      input: { credentialId: active.credential.id },
    });
    expect(failure).toMatchObject({ code: 'NOT_FOUND', field: 'credentialId' });
  });
});
