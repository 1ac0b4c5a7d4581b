import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { requireViewer } from '../../auth/permissions.js';
import type { Context } from '../../context.js';
import { generateToken, sha256 } from '../../crypto.js';
import { notFound } from '../../errors.js';
import { publish } from '../../events/events.service.js';
import { fields, parseInput } from '../../graphql/validation.js';
import { PlatformRole } from '../../auth/roles.js';
import { User } from '../accounts/accounts.entity.js';
import { recordAudit } from '../../audit/record.js';
import { GATEWAY_TOKEN_PREFIX, GatewayToken } from './gateway-tokens.entity.js';

const CreateInput = z.object({ name: fields.name('Name') });
const RevokeInput = z.object({
  gatewayTokenId: z.string().trim().min(1, 'The gateway token id is missing.'),
});

function audit(em: EntityManager, ctx: Context, action: string, token: GatewayToken): void {
  // Only the name: neither the token nor any part of it goes into the audit log.
  recordAudit(em, ctx, {
    organizationId: null,
    action,
    targetType: 'GatewayToken',
    targetId: token.id,
    data: { name: token.name },
  });
}

/** Tells every gateway (on the catalog topic) to forget the gateway tokens it authenticated. */
async function announce(
  em: EntityManager,
  token: GatewayToken,
  kind: 'gateway_token.created' | 'gateway_token.revoked',
): Promise<void> {
  await publish(em, kind, { subjectId: token.id });
}

/** Every gateway token, newest first (staff only, by the operation's rule). */
export async function listGatewayTokens(ctx: Context): Promise<GatewayToken[]> {
  return ctx.em.find(GatewayToken, {}, { orderBy: { createdAt: 'desc', id: 'desc' } });
}

/** `node(id:)` finder: staff only. */
export async function findGatewayToken(ctx: Context, id: string): Promise<GatewayToken | null> {
  if (ctx.viewer?.user.platformRole !== PlatformRole.STAFF) return null;
  return ctx.em.findOne(GatewayToken, { id });
}

/**
 * Staff make a token for a gateway to report usage with. The token is returned here, once:
 * only its SHA-256 and last four characters are stored.
 */
export async function createGatewayToken(
  ctx: Context,
  input: z.input<typeof CreateInput>,
): Promise<{ gatewayToken: GatewayToken; token: string }> {
  const viewer = requireViewer(ctx);
  const data = parseInput(CreateInput, input);
  const token = generateToken(GATEWAY_TOKEN_PREFIX);
  const gatewayToken = await ctx.em.transactional(async (em) => {
    const row = new GatewayToken(
      data.name,
      sha256(token),
      token.slice(-4),
      em.getReference(User, viewer.user.id, { wrapped: true }),
    );
    em.persist(row);
    audit(em, ctx, 'gateway_token.create', row);
    await announce(em, row, 'gateway_token.created');
    return row;
  });
  return { gatewayToken, token };
}

/** Staff revoke a gateway token; it is refused at once. Revoking twice is a no-op. */
export async function revokeGatewayToken(
  ctx: Context,
  input: z.input<typeof RevokeInput>,
): Promise<GatewayToken> {
  const viewer = requireViewer(ctx);
  const data = parseInput(RevokeInput, input);
  return ctx.em.transactional(async (em) => {
    const row = await em.findOne(
      GatewayToken,
      { id: data.gatewayTokenId },
      { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true },
    );
    if (!row) throw notFound('Gateway token', 'gatewayTokenId');
    if (row.revokedAt) return row;
    row.revokedAt = new Date();
    row.revokedBy = em.getReference(User, viewer.user.id, { wrapped: true });
    audit(em, ctx, 'gateway_token.revoke', row);
    await announce(em, row, 'gateway_token.revoked');
    return row;
  });
}
