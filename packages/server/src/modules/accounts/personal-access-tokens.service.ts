import { z } from 'zod';
import type { Context } from '../../context.js';
import { requireViewer } from '../../auth/permissions.js';
import { generateToken, sha256 } from '../../crypto.js';
import { notFound } from '../../errors.js';
import { fields, parseInput } from '../../graphql/validation.js';
import { recordAudit } from '../../audit/record.js';
import { publish } from '../../events/events.service.js';
import { PatScope } from '../../auth/roles.js';
import { PersonalAccessToken, User } from './accounts.entity.js';
import { PAT_PREFIX } from './accounts.service.js';

const DAY_MS = 86_400_000;

const CreateInput = z.object({
  name: fields.name('Name'),
  scopes: z
    .array(z.enum(PatScope))
    .min(1, 'Choose at least one scope.')
    // One canonical order, no duplicates.
    .transform((scopes) => Object.values(PatScope).filter((scope) => scopes.includes(scope))),
  expiresInDays: z
    .number()
    .int('Give a whole number of days.')
    .min(1, 'A token lasts at least 1 day.')
    .max(365, 'A token lasts at most 365 days.')
    .nullish(),
});

/**
 * Makes a personal access token for the viewer. The secret is returned here, once: only its
 * SHA-256 and last four characters are stored.
 */
export async function createPersonalAccessToken(
  ctx: Context,
  input: z.input<typeof CreateInput>,
): Promise<{ token: string; personalAccessToken: PersonalAccessToken }> {
  const viewer = requireViewer(ctx);
  const data = parseInput(CreateInput, input);
  const token = generateToken(PAT_PREFIX);
  const expiresAt = data.expiresInDays ? new Date(Date.now() + data.expiresInDays * DAY_MS) : null;
  const personalAccessToken = await ctx.em.transactional(async (em) => {
    const row = new PersonalAccessToken(
      em.getReference(User, viewer.user.id, { wrapped: true }),
      data.name,
      data.scopes,
      sha256(token),
      token.slice(-4),
      expiresAt,
    );
    em.persist(row);
    recordAudit(em, ctx, {
      organizationId: null,
      action: 'token.create',
      targetType: 'PersonalAccessToken',
      targetId: row.id,
      data: { name: row.name, scopes: row.scopes, expiresAt: expiresAt?.toISOString() ?? null },
    });
    return row;
  });
  return { token, personalAccessToken };
}

const RevokeInput = z.object({ id: z.string().trim().min(1, 'The id is missing.') });

/**
 * Revokes one of the viewer's tokens; it stops working at once, and every instance closes the
 * sockets opened with it (`personal_access_token.revoked`). Revoking twice is a no-op.
 */
export async function revokePersonalAccessToken(
  ctx: Context,
  input: z.input<typeof RevokeInput>,
): Promise<PersonalAccessToken> {
  const viewer = requireViewer(ctx);
  const data = parseInput(RevokeInput, input);
  return ctx.em.transactional(async (em) => {
    const row = await em.findOne(PersonalAccessToken, { id: data.id, user: viewer.user.id });
    if (!row) throw notFound('Personal access token');
    if (!row.revokedAt) {
      row.revokedAt = new Date();
      recordAudit(em, ctx, {
        organizationId: null,
        action: 'token.revoke',
        targetType: 'PersonalAccessToken',
        targetId: row.id,
        data: { name: row.name },
      });
      await publish(em, 'personal_access_token.revoked', {
        subjectId: row.id,
        userId: viewer.user.id,
      });
    }
    return row;
  });
}

const viewerTokens = new WeakMap<Context, Promise<PersonalAccessToken[]>>();

/** A user's tokens, newest first: only the viewer sees their own (anyone else: empty). */
export function personalAccessTokensOf(ctx: Context, user: User): Promise<PersonalAccessToken[]> {
  if (!ctx.viewer || ctx.viewer.user.id !== user.id) return Promise.resolve([]);
  let tokens = viewerTokens.get(ctx);
  if (!tokens) {
    tokens = ctx.em.find(
      PersonalAccessToken,
      { user: user.id },
      { orderBy: { createdAt: 'desc', id: 'desc' } },
    );
    viewerTokens.set(ctx, tokens);
  }
  return tokens;
}

/** `node(id:)` finder: the viewer's own tokens only. */
export async function findPersonalAccessToken(
  ctx: Context,
  id: string,
): Promise<PersonalAccessToken | null> {
  if (!ctx.viewer) return null;
  return ctx.em.findOne(PersonalAccessToken, { id, user: ctx.viewer.user.id });
}
