import type { Context } from '../../context.js';
import { notFound } from '../../errors.js';
import { PlatformRole } from '../../auth/roles.js';
import { TokenAccess, TokenArea, tokenAllows } from '../../auth/token-permissions.js';
import { ApiProduct } from '../products/products.entity.js';
import { findProduct } from '../products/products.service.js';
import { catalogueLoaders } from './catalogue.loaders.js';
import type { ProductCatalogue } from './catalogue.entity.js';

/**
 * Whether the viewer sees the catalogue as staff (drafts, private docs, every Labs feedback):
 * a staff member with a session or a classic token; with a fine-grained token, only one that
 * may read the staff catalogue.
 */
export function viewerIsStaff(ctx: Context): boolean {
  const viewer = ctx.viewer;
  return (
    viewer?.user.platformRole === PlatformRole.STAFF &&
    tokenAllows(viewer, TokenArea.STAFF_CATALOG, TokenAccess.READ)
  );
}

/** The product's catalogue settings, or null when none were saved (private, not Labs). */
export async function settingsOf(
  ctx: Context,
  productId: string,
): Promise<ProductCatalogue | null> {
  return catalogueLoaders(ctx).settingsByProduct.load(productId);
}

/**
 * Whether the viewer may read the product's documentation: signed-in users read every live
 * product's docs (staff archived ones too); anyone reads the docs of a live public product.
 */
export async function canReadDocs(ctx: Context, product: ApiProduct): Promise<boolean> {
  if (product.archivedAt && !viewerIsStaff(ctx)) return false;
  if (ctx.viewer) return true;
  return (await settingsOf(ctx, product.id))?.docsPublic === true;
}

/** A product whose docs the viewer may read, by id or slug; NOT_FOUND on `field` otherwise. */
export async function findReadableProduct(
  ctx: Context,
  where: { id: string } | { slug: string },
  field = 'id' in where ? 'id' : 'slug',
): Promise<ApiProduct> {
  const product =
    'id' in where
      ? await findProduct(ctx, where.id, field).catch(() => null)
      : await ctx.em.findOne(ApiProduct, { slug: where.slug });
  if (!product || !(await canReadDocs(ctx, product))) throw notFound('Product', field);
  return product;
}

/** Products whose docs the viewer may read, by name: every live one signed in, public ones otherwise. */
export async function listCatalogue(ctx: Context): Promise<ApiProduct[]> {
  const products = await ctx.em.find(ApiProduct, viewerIsStaff(ctx) ? {} : { archivedAt: null }, {
    orderBy: { name: 'asc', id: 'asc' },
  });
  if (ctx.viewer) return products;
  const settings = await Promise.all(products.map((product) => settingsOf(ctx, product.id)));
  return products.filter((_, index) => settings[index]?.docsPublic === true);
}
