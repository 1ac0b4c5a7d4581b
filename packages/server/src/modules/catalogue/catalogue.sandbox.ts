import { z } from 'zod';
import type { Context } from '../../context.js';
import { badInput, conflict } from '../../errors.js';
import { parseInput } from '../../graphql/validation.js';
import { recordAudit } from '../../audit/record.js';
import { requireViewer } from '../../auth/permissions.js';
import { generateToken, sha256 } from '../../crypto.js';
import { User } from '../accounts/accounts.entity.js';
import { App, AppStatus, PermissionLevel } from '../apps/apps.entity.js';
import { loadAppToManage } from '../apps/apps.access.js';
import { EFFECTIVE_GRANTS_VIEW } from '../grants/grants.effective.js';
import { GrantStatus } from '../grants/grants.entity.js';
import { Organization } from '../orgs/orgs.entity.js';
import { ApiProduct } from '../products/products.entity.js';
import { findLiveProduct } from '../products/products.service.js';
import { SandboxToken } from './catalogue.entity.js';
import type { CreateSandboxTokenInput } from './catalogue.types.js';

/** Prefix of sandbox tokens (`psb_…`), recognised by the gateway like every credential's. */
export const SANDBOX_TOKEN_PREFIX = 'psb';
export const SANDBOX_DEFAULT_MINUTES = 15;
export const SANDBOX_MAX_MINUTES = 60;

const LEVEL_RANK: Readonly<Record<PermissionLevel, number>> = {
  [PermissionLevel.READ]: 1,
  [PermissionLevel.READ_WRITE]: 2,
  [PermissionLevel.READ_WRITE_DM]: 3,
};

const SandboxSchema = z.object({
  appId: z.string(),
  productId: z.string(),
  permissionLevel: z.enum(PermissionLevel).nullish(),
  minutes: z
    .number()
    .int('Minutes is a whole number.')
    .min(1, 'Minutes is 1 to 60.')
    .max(SANDBOX_MAX_MINUTES, 'Minutes is 1 to 60.')
    .nullish(),
});

export interface MintedSandboxToken {
  token: string;
  sandboxToken: SandboxToken;
  app: App;
  product: ApiProduct;
}

/**
 * The try-it console's token: for one of the viewer's apps (owner or organization admin) that is
 * active and granted the product; works for that product only, read-only unless asked (never
 * above the app's level), for a few minutes. Shown once; only its hash is stored.
 */
export async function createSandboxToken(
  ctx: Context,
  input: CreateSandboxTokenInput,
): Promise<MintedSandboxToken> {
  const viewer = requireViewer(ctx);
  const data = parseInput(SandboxSchema, input);
  const level = data.permissionLevel ?? PermissionLevel.READ;
  const minutes = data.minutes ?? SANDBOX_DEFAULT_MINUTES;
  return ctx.em.transactional(async (em) => {
    const app = await loadAppToManage(ctx, em, data.appId);
    const product = await findLiveProduct(em, data.productId);
    if (app.status !== AppStatus.ACTIVE) {
      throw conflict('appId', 'Only an active app can get a sandbox token.');
    }
    const [grant] = await em
      .getConnection()
      .execute<{ status: GrantStatus }[]>(
        `select status from ${EFFECTIVE_GRANTS_VIEW} where app_id = ? and product_id = ?`,
        [app.id, product.id],
        'all',
        em.getTransactionContext(),
      );
    if (grant?.status !== GrantStatus.APPROVED) {
      throw conflict('productId', 'The app has not been granted this API product.');
    }
    if (LEVEL_RANK[level] > LEVEL_RANK[app.permissionLevel]) {
      throw badInput('permissionLevel', `The app's permission level is ${app.permissionLevel}.`);
    }
    const token = generateToken(SANDBOX_TOKEN_PREFIX);
    const sandboxToken = new SandboxToken({
      app: em.getReference(App, app.id, { wrapped: true }),
      organization: em.getReference(Organization, app.organization.id, { wrapped: true }),
      product: em.getReference(ApiProduct, product.id, { wrapped: true }),
      secretHash: sha256(token),
      lastFour: token.slice(-4),
      permissionLevel: level,
      expiresAt: new Date(Date.now() + minutes * 60_000),
      createdBy: em.getReference(User, viewer.user.id, { wrapped: true }),
    });
    em.persist(sandboxToken);
    recordAudit(em, ctx, {
      organizationId: app.organization.id,
      action: 'catalogue.sandbox_token.create',
      targetType: 'App',
      targetId: app.id,
      data: {
        sandboxTokenId: sandboxToken.id,
        productId: product.id,
        permissionLevel: level,
        expiresAt: sandboxToken.expiresAt.toISOString(),
        lastFour: sandboxToken.lastFour,
      },
    });
    return { token, sandboxToken, app, product };
  });
}
