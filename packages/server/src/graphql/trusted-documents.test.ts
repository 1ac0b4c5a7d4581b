import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kind, parse, print, validate, type DocumentNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { signUpUser, type SignedInUser } from '../../test/builders.js';
import { subscribe, useTestServer, type TestClient } from '../../test/harness.js';
import { parseEnv } from '../env.js';
import { buildSchema } from '../schema.js';
import { documentHash, parseManifest, TrustedDocuments } from './trusted-documents.js';

const MANIFEST_FILE = fileURLToPath(new URL('../../../../trusted-documents.json', import.meta.url));
const manifest = parseManifest(await readFile(MANIFEST_FILE, 'utf8'), MANIFEST_FILE);

function operationNameOf(document: DocumentNode): string | undefined {
  for (const definition of document.definitions) {
    if (definition.kind === Kind.OPERATION_DEFINITION) return definition.name?.value;
  }
  return undefined;
}

/** The web app's operation `name`: its hash and text, as registered. */
function webOperation(name: string): { hash: string; text: string } {
  for (const [hash, text] of manifest) {
    if (operationNameOf(parse(text)) === name) return { hash, text };
  }
  throw new Error(`The web app has no operation ${name} in trusted-documents.json`);
}

/** A document of this test's own, not one of the web app's. */
const OWN_QUERY = '{ viewer { id email } }';
const OWN_MUTATION = `mutation ($input: UpdateProfileInput!) {
  updateProfile(input: $input) { user { id name } }
}`;
const OWN_SUBSCRIPTION = 'subscription { viewerEvents { id kind } }';

describe('the trusted documents of the web app', () => {
  it('are all valid against the schema and registered under the hash of their text', async () => {
    const schema = await buildSchema();
    expect(manifest.size).toBeGreaterThan(0);
    for (const [hash, text] of manifest) {
      const document = parse(text);
      expect(validate(schema, document), operationNameOf(document)).toEqual([]);
      expect(documentHash(document)).toBe(hash);
    }
  });

  it('are recognized whatever the white space and order of their print', async () => {
    const viewer = webOperation('Viewer');
    const documents = TrustedDocuments.of({ [viewer.hash]: viewer.text });
    const reordered = parse(`query Viewer {
      viewer { name id email emailVerified canCreateApps platformRole __typename
        organizations { slug name kind id viewerRole __typename } }
      __typename
    }`);
    expect(documentHash(reordered)).toBe(viewer.hash);
    expect(await documents.trusts(reordered)).toBe(true);
    expect(await documents.trusts(parse('query Viewer { viewer { id } }'))).toBe(false);
  });

  it('are enforced by default, in production and in development', () => {
    expect(parseEnv({ NODE_ENV: 'production' }).TRUSTED_DOCUMENTS).toBe('enforce');
    expect(parseEnv({ NODE_ENV: 'development' }).TRUSTED_DOCUMENTS).toBe('enforce');
    expect(() => parseEnv({ TRUSTED_DOCUMENTS: 'maybe' })).toThrow(/TRUSTED_DOCUMENTS/);
  });
});

describe('the manifest file', () => {
  it('is required, and must map SHA-256 hashes to documents', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'trusted-documents-'));
    try {
      await expect(TrustedDocuments.load(path.join(dir, 'none.json'))).rejects.toThrow(
        /Cannot read the trusted documents .*pnpm documents:write/,
      );
      const file = path.join(dir, 'trusted-documents.json');
      await writeFile(file, JSON.stringify({ abc: '{ viewer { id } }' }));
      await expect(TrustedDocuments.load(file)).rejects.toThrow(/abc is not a SHA-256 hash/);
      await writeFile(file, '[]');
      await expect(TrustedDocuments.load(file)).rejects.toThrow(/JSON object/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('is read again when it changed, with reload (development)', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'trusted-documents-'));
    try {
      const file = path.join(dir, 'trusted-documents.json');
      const viewer = webOperation('Viewer');
      const account = webOperation('Account');
      await writeFile(file, JSON.stringify({ [viewer.hash]: viewer.text }));
      const reloading = await TrustedDocuments.load(file, { reload: true });
      const fixed = await TrustedDocuments.load(file);
      await writeFile(
        file,
        JSON.stringify({ [viewer.hash]: viewer.text, [account.hash]: account.text }),
      );
      // A later modification time, whatever the file system's resolution.
      const later = new Date(Date.now() + 60_000);
      await utimes(file, later, later);
      expect(await fixed.document(account.hash)).toBeUndefined();
      expect(await reloading.document(account.hash)).toBe(account.text);
      expect(await reloading.trusts(parse(account.text))).toBe(true);
      expect(await reloading.trusts(parse(OWN_QUERY))).toBe(false);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('trusted documents (enforced)', () => {
  const server = useTestServer({ trustedDocuments: true });

  /** A personal access token of `user`, made with the web app's own mutation. */
  async function tokenOf(user: SignedInUser): Promise<string> {
    const { hash } = webOperation('CreateFineGrainedPersonalAccessToken');
    const { result } = await user.client.executePersisted<{
      createFineGrainedPersonalAccessToken: { token: string };
    }>(hash, {
      input: {
        name: 'script',
        organizationId: null,
        permissions: [
          { area: 'ACCOUNT', level: 'WRITE' },
          { area: 'NOTIFICATIONS', level: 'READ' },
        ],
        expiresInDays: 30,
      },
    });
    const token = result.data?.createFineGrainedPersonalAccessToken.token;
    if (!token) throw new Error(`No token: ${JSON.stringify(result)}`);
    return token;
  }

  function withToken(token: string): TestClient {
    const client = server.client();
    client.bearer = token;
    return client;
  }

  it('an unknown operation with a cookie is refused, with a token it runs', async () => {
    const user = await signUpUser(server);

    const refused = await user.client.post({ query: OWN_QUERY });
    expect(refused.status).toBe(400);
    expect(refused.result.data).toBeUndefined();
    expect(refused.result.errors?.[0]?.extensions?.code).toBe('TRUSTED_DOCUMENT_REQUIRED');
    expect(refused.result.errors?.[0]?.message).toMatch(/personal access token/);

    const token = await tokenOf(user);
    const ran = await withToken(token).ok<{ viewer: { id: string; email: string } }>(OWN_QUERY);
    expect(ran.viewer).toMatchObject({ id: user.id, email: user.email.toLowerCase() });

    // Cookie and token together: the token signs the request in, so it may send its own.
    const both = user.client.clone();
    both.bearer = token;
    expect((await both.ok<{ viewer: { id: string } }>(OWN_QUERY)).viewer.id).toBe(user.id);
  });

  it('an unknown mutation with a cookie changes nothing', async () => {
    const user = await signUpUser(server, { name: 'Ada' });
    const refused = await user.client.post({
      query: OWN_MUTATION,
      variables: { input: { name: 'Mallory' } },
    });
    expect(refused.status).toBe(400);
    expect(refused.result.errors?.[0]?.extensions?.code).toBe('TRUSTED_DOCUMENT_REQUIRED');
    const { hash } = webOperation('Account');
    const { result } = await user.client.executePersisted<{ viewer: { name: string } }>(hash);
    expect(result.data?.viewer.name).toBe('Ada');
  });

  it("runs the web app's documents with a cookie, by hash alone or sent in full", async () => {
    const user = await signUpUser(server);
    const account = webOperation('Account');
    const byHash = await user.client.executePersisted<{ viewer: { id: string } }>(account.hash);
    expect(byHash.status).toBe(200);
    expect(byHash.result.data?.viewer.id).toBe(user.id);

    // As Apollo Client prints it (indented, in the order written), without the hash.
    const printed = print(parse(webOperation('UpdateProfile').text));
    const updated = await user.client.ok<{ updateProfile: { user: { name: string } } }>(printed, {
      input: { name: 'Grace' },
    });
    expect(updated.updateProfile.user.name).toBe('Grace');
  });

  it('answers an unknown hash with PERSISTED_QUERY_NOT_FOUND, and registers nothing', async () => {
    const user = await signUpUser(server);
    const token = await tokenOf(user);
    const unknown = 'f'.repeat(64);
    const missing = await user.client.executePersisted(unknown);
    expect(missing.result.data).toBeUndefined();
    expect(missing.result.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');

    // A token's document sent with its own hash runs, as any document of a token does ...
    const query = '{ viewer { id name } }';
    const ownHash = documentHashOfText(query);
    const sent = await withToken(token).executePersisted<{ viewer: { id: string } }>(
      ownHash,
      {},
      query,
    );
    expect(sent.result.data?.viewer.id).toBe(user.id);
    // ... but is not registered: the session cannot run it by that hash.
    const again = await user.client.executePersisted(ownHash);
    expect(again.result.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    expect(again.result.data).toBeUndefined();
  });

  it("refuses a document sent under a trusted document's hash", async () => {
    const user = await signUpUser(server);
    const { hash } = webOperation('Account');
    const { status, result } = await user.client.executePersisted(hash, {}, OWN_QUERY);
    expect(status).toBe(400);
    expect(result.data).toBeUndefined();
  });

  it('lets a request signed in by nothing send its own documents', async () => {
    const anonymous = server.client();
    const { status, result } = await anonymous.post({ query: '{ viewer { id } }' });
    expect(status).toBe(200);
    expect(result.data).toEqual({ viewer: null });
  });

  it('holds for subscriptions over the WebSocket signed in by the cookie', async () => {
    const user = await signUpUser(server);
    const own = await subscribe(server, user.client, OWN_SUBSCRIPTION);
    const [error] = await own.failure();
    expect(error?.extensions?.code).toBe('TRUSTED_DOCUMENT_REQUIRED');
    await own.close();

    // The web app's subscription, as graphql-ws sends it (printed in full).
    const web = await subscribe(
      server,
      user.client,
      print(parse(webOperation('ViewerEvents').text)),
    );
    expect(web.errors).toBeNull();
    await web.close();

    const token = await tokenOf(user);
    const withTokenSub = await subscribe(server, withToken(token), OWN_SUBSCRIPTION);
    expect(withTokenSub.errors).toBeNull();
    await withTokenSub.close();
  });
});

/** The SHA-256 of a document's text as sent (what an APQ client computes). */
function documentHashOfText(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
