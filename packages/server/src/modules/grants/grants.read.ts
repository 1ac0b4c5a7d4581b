import { assertOrgAction } from '../orgs/orgs.access.js';
import type { Context } from '../../context.js';
import { notFound } from '../../errors.js';
import type { User } from '../accounts/accounts.entity.js';
import type { App } from '../apps/apps.entity.js';
import type { Organization } from '../orgs/orgs.entity.js';
import type { ApiProduct } from '../products/products.entity.js';
import { loadReference } from '../../db/references.js';
import { ProductGrant } from './grants.entity.js';
import { grantLoaders } from './grants.loaders.js';
import { appLoaders } from '../apps/apps.loaders.js';
import { prefetchForAppLists } from '../apps/apps.prefetch.js';
import { orgLoaders } from '../orgs/orgs.loaders.js';
import { accountLoaders } from '../accounts/accounts.loaders.js';

/** Reads behind the grant fields; every list goes through a batching loader. */

/** An app's grants, current and history, newest first (the app is already visible). */
export function grantsOfApp(ctx: Context, app: App): ProductGrant[] | Promise<ProductGrant[]> {
  return grantLoaders(ctx).grantsByApp.get(app.id);
}

// A list of apps whose grants the query asks for reads them before it answers.
prefetchForAppLists((ctx, apps, selected) =>
  selected.has('grants') ? grantLoaders(ctx).grantsByApp.loadMany(apps.map((app) => app.id)) : null,
);

export async function productOfGrant(ctx: Context, grant: ProductGrant): Promise<ApiProduct> {
  const product = await loadReference(grant.product, grantLoaders(ctx).productById);
  if (!product) throw notFound('Product');
  return product;
}

export async function appOfGrant(ctx: Context, grant: ProductGrant): Promise<App> {
  const app =
    (await loadReference(grant.app, appLoaders(ctx).appById)) ??
    (await grantLoaders(ctx).anyAppById.load(grant.app.id));
  if (!app) throw notFound('App');
  return app;
}

export async function organizationOfGrant(
  ctx: Context,
  grant: ProductGrant,
): Promise<Organization> {
  const organization = await loadReference(grant.organization, orgLoaders(ctx).organizationById);
  if (!organization) throw notFound('Organization');
  return organization;
}

export async function userOf(
  ctx: Context,
  reference: ProductGrant['requestedBy'],
): Promise<User | null> {
  return reference ? loadReference(reference, accountLoaders(ctx).userById) : null;
}

/** A grant for `node(id:)`: members of its organization and staff, while its app lives. */
export async function findGrant(ctx: Context, id: string): Promise<ProductGrant | null> {
  const grant = await ctx.em.findOne(ProductGrant, { id });
  if (!grant) return null;
  const app = await appLoaders(ctx).appById.load(grant.app.id);
  if (!app) return null;
  await assertOrgAction(ctx, grant.organization.id, 'app:read');
  return grant;
}
