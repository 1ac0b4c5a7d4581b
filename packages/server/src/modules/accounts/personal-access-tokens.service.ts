import { z } from 'zod';
import type { Context } from '../../context.js';
import { requireViewer } from '../../auth/permissions.js';
import { perRequest } from '../../loaders.js';
import { forbidden, notFound } from '../../errors.js';
import { fields, parseInput } from '../../graphql/validation.js';
import { PatScope } from '../../auth/roles.js';
import { recordAudit } from '../../audit/record.js';
import { publish } from '../../events/events.service.js';
import { TOKEN_AREAS, TokenAccess, type TokenArea } from '../../auth/token-permissions.js';
import { PersonalAccessToken, type User } from './accounts.entity.js';
import { PersonalAccessTokenStatus, tokenStatus } from './personal-access-tokens.js';

const ClassicInput = z.object({
  name: fields.name('Name'),
  scopes: z.array(z.enum(PatScope)),
  expiresInDays: z.number().int().nullish(),
});

/**
 * Classic tokens are no longer made: the ones made before keep working until they expire (or
 * are revoked). New tokens are fine-grained (`createFineGrainedPersonalAccessToken`). Bad input
 * is still told apart (BAD_USER_INPUT) from the refusal.
 */
export function refuseClassicToken(ctx: Context, input: z.input<typeof ClassicInput>): never {
  requireViewer(ctx);
  parseInput(ClassicInput, input);
  throw forbidden(
    'Classic tokens can no longer be made: create a fine-grained token (createFineGrainedPersonalAccessToken).',
  );
}

const RevokeInput = z.object({ id: z.string().trim().min(1, 'The id is missing.') });

/**
 * Revokes one of the viewer's tokens; it stops working at once, and every instance closes the
 * sockets opened with it (`personal_access_token.revoked`). Revoking twice is a no-op. A token
 * bound to an organization is audited in that organization's log too.
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
        organizationId: row.organization?.id ?? null,
        action: 'token.revoke',
        targetType: 'PersonalAccessToken',
        targetId: row.id,
        data: { name: row.name, kind: row.kind },
      });
      await publish(em, 'personal_access_token.revoked', {
        subjectId: row.id,
        userId: viewer.user.id,
      });
    }
    return row;
  });
}

/** The viewer's tokens, read at most once per request. */
const viewerTokens = perRequest((): { read?: Promise<PersonalAccessToken[]> } => ({}));

/**
 * A user's tokens (with the organization each is bound to), newest first: only the viewer sees
 * their own (anyone else: empty).
 */
export function personalAccessTokensOf(ctx: Context, user: User): Promise<PersonalAccessToken[]> {
  if (!ctx.viewer || ctx.viewer.user.id !== user.id) return Promise.resolve([]);
  const held = viewerTokens(ctx);
  held.read ??= ctx.em.find(
    PersonalAccessToken,
    { user: user.id },
    { populate: ['organization'], orderBy: { createdAt: 'desc', id: 'desc' } },
  );
  return held.read;
}

/** `node(id:)` finder: the viewer's own tokens only. */
export async function findPersonalAccessToken(
  ctx: Context,
  id: string,
): Promise<PersonalAccessToken | null> {
  if (!ctx.viewer) return null;
  return ctx.em.findOne(PersonalAccessToken, { id, user: ctx.viewer.user.id });
}

/** Whether the token works now, and if not, why (its organization read when not yet loaded). */
export async function personalAccessTokenStatus(
  token: PersonalAccessToken,
): Promise<PersonalAccessTokenStatus> {
  const organization = token.organization ? await token.organization.load() : null;
  return tokenStatus(token, new Date(), organization ?? null);
}

/** A fine-grained token's permissions, one per area it was given (in the areas' order). */
export function permissionList(
  token: PersonalAccessToken,
): { area: TokenArea; level: TokenAccess }[] {
  return TOKEN_AREAS.flatMap((area) => {
    const level = token.permissions[area];
    return level && level !== TokenAccess.NONE ? [{ area, level }] : [];
  });
}
