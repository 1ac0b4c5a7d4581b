import { PatScope } from '../src/auth/roles.js';
import type { TokenAccess, TokenArea } from '../src/auth/token-permissions.js';
import { generateToken, sha256 } from '../src/crypto.js';
import { PersonalAccessToken, User } from '../src/modules/accounts/accounts.entity.js';
import { CLASSIC_PAT_PREFIX } from '../src/modules/accounts/personal-access-tokens.js';
import type { SignedInUser } from './builders.js';
import type { TestClient, TestServer } from './harness.js';
import { rememberSecret } from './log-capture.js';

const DAY_MS = 86_400_000;

/**
 * A classic (READ / WRITE) token as the ones made before fine-grained tokens: written through
 * the ORM, since the API no longer makes them.
 */
export async function classicToken(
  server: TestServer,
  userId: string,
  options: { scopes?: `${PatScope}`[]; expiresInDays?: number | null; name?: string } = {},
): Promise<{ token: string; id: string }> {
  const token = generateToken(CLASSIC_PAT_PREFIX);
  rememberSecret(token);
  const em = server.orm.em.fork();
  const days = options.expiresInDays === undefined ? 30 : options.expiresInDays;
  const row = new PersonalAccessToken(
    em.getReference(User, userId, { wrapped: true }),
    options.name ?? 'classic',
    (options.scopes ?? [PatScope.READ]).map((scope) => PatScope[scope]),
    sha256(token),
    token.slice(-4),
    days === null ? null : new Date(Date.now() + days * DAY_MS),
  );
  await em.persist(row).flush();
  return { token, id: row.id };
}

export type Permissions = Partial<Record<`${TokenArea}`, `${TokenAccess}`>>;

export const CREATE_FINE_GRAINED = `mutation ($input: CreateFineGrainedPersonalAccessTokenInput!) {
  createFineGrainedPersonalAccessToken(input: $input) {
    token
    personalAccessToken { id status }
  }
}`;

/** A fine-grained token of `user`, made through the API with their session. */
export async function fineGrainedToken(
  user: SignedInUser,
  options: {
    organizationId?: string | null;
    permissions: Permissions;
    expiresInDays?: number;
    name?: string;
  },
): Promise<{ token: string; id: string; status: string }> {
  const data = await user.client.ok<{
    createFineGrainedPersonalAccessToken: {
      token: string;
      personalAccessToken: { id: string; status: string };
    };
  }>(CREATE_FINE_GRAINED, {
    input: {
      name: options.name ?? 'fine-grained',
      organizationId: options.organizationId ?? null,
      permissions: Object.entries(options.permissions).map(([area, level]) => ({ area, level })),
      expiresInDays: options.expiresInDays ?? 30,
    },
  });
  const made = data.createFineGrainedPersonalAccessToken;
  return {
    token: made.token,
    id: made.personalAccessToken.id,
    status: made.personalAccessToken.status,
  };
}

/** An API client that signs in with `token` (no session). */
export function bearerClient(server: TestServer, token: string): TestClient {
  const client = server.client();
  client.bearer = token;
  return client;
}
