import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { orgWithMembers } from '../test/app-builders.js';
import { useTestServer } from '../test/harness.js';
import { fineGrainedToken } from '../test/token-builders.js';

/** The example third-party client (examples/third-party-client), run against the server. */
const CLIENT = fileURLToPath(
  new URL('../../../examples/third-party-client/client.mjs', import.meta.url),
);

const server = useTestServer();

function runClient(env: Record<string, string>): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLIENT], { env, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, output: stdout + stderr });
    });
  });
}

interface OrgApps {
  organization: {
    apps: {
      id: string;
      name: string;
      credentials: { id: string; status: string; expiresAt: string | null }[];
    }[];
  };
}

describe('the example third-party client', () => {
  it('lists the apps, creates one with a key and rotates the key, with a token', async () => {
    const org = await orgWithMembers(server, { name: 'Example Org' });
    const admin = org.admins[0]!;
    const before = await admin.client.ok<OrgApps>(
      `query ($id: ID!) { organization(id: $id) { apps { id name credentials { id status expiresAt } } } }`,
      { id: org.id },
    );
    expect(before.organization.apps).toEqual([]);
    // A fine-grained token for the organization, with what the client does and no more.
    const { token } = await fineGrainedToken(admin, {
      name: 'example client',
      organizationId: org.id,
      permissions: { ORGANIZATION: 'READ', APPS: 'WRITE', CREDENTIALS: 'WRITE' },
      expiresInDays: 7,
    });

    const { code, output } = await runClient({
      PORTICO_URL: `${server.url}/graphql`,
      PORTICO_TOKEN: token,
      PORTICO_ORGANIZATION_ID: org.id,
    });
    expect(code, output).toBe(0);
    expect(output).toContain(`Apps of Example Org (${org.id}): 0`);
    expect(output).toMatch(/Created app app_\S+ \(Example client [^)]+\), ACTIVE/);
    expect(output).toMatch(/Rotated: new key \S+ \(…\w{4}\); \S+ \(…\w{4}\) works until \d{4}-/);
    expect(output).toMatch(/\(cost \d+, \d+ of \d+ left\)/);

    const after = await admin.client.ok<OrgApps>(
      `query ($id: ID!) { organization(id: $id) { apps { id name credentials { id status expiresAt } } } }`,
      { id: org.id },
    );
    expect(after.organization.apps).toHaveLength(1);
    const credentials = after.organization.apps[0]!.credentials;
    expect(credentials).toHaveLength(2);
    // The rotated-out key works through its grace (a week), the new one has no end.
    const expiring = credentials.filter((c) => c.expiresAt !== null);
    expect(expiring).toHaveLength(1);
    const graceDays = (Date.parse(expiring[0]!.expiresAt!) - Date.now()) / 86_400_000;
    expect(graceDays).toBeGreaterThan(6.9);
    expect(graceDays).toBeLessThanOrEqual(7);
    // Nothing secret was printed: only last fours.
    expect(output).not.toMatch(/[A-Za-z]+_[A-Za-z0-9]{32,}/);
  });

  it('says what went wrong when the token is refused', async () => {
    const { code, output } = await runClient({
      PORTICO_URL: `${server.url}/graphql`,
      PORTICO_TOKEN: 'pat_not_a_real_token',
    });
    expect(code).toBe(1);
    expect(output).toContain('UNAUTHENTICATED');
  });
});
