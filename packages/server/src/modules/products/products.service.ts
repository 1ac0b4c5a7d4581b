import { LockMode, type Ref } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Context } from '../../context.js';
import { badInput, conflict, notFound } from '../../errors.js';
import type { CatalogChange } from '../../events/domain-events.js';
import { publish } from '../../events/events.service.js';
import { parseInput } from '../../graphql/validation.js';
import { PlatformRole } from '../../auth/roles.js';
import { TokenAccess, TokenArea, tokenAllows } from '../../auth/token-permissions.js';
import { recordAudit } from '../../audit/record.js';
import { loadReference } from '../../db/references.js';
import { configuredConditions } from './approval-rules.js';
import { productLoaders } from './products.loaders.js';
import { ApiProduct, ApprovalMode, Plan, type ApprovalRules } from './products.entity.js';
import type {
  ApprovalRulesType,
  ArchiveProductInput,
  CreateProductInput,
  UpdateProductInput,
} from './products.types.js';
import {
  CreateProductSchema,
  isUnderPrefix,
  UpdateProductSchema,
  type ParsedApprovalRules,
} from './products.validation.js';
import { ensureDefaultPlans } from './plans.service.js';
import { mappingConstraintErrors } from '../../db/constraints.js';

const SLUG_CONSTRAINT = 'api_product_slug_unique';
/** Serializes changes to path prefixes, so two products never claim one prefix at once. */
const PATH_PREFIX_LOCK = 'portico:product-path-prefixes';

const slugTaken = () => conflict('slug', 'Another product already uses this slug.');

/** Staff, unless signed in with a fine-grained token that may not read the staff catalogue. */
function viewerIsStaff(ctx: Context): boolean {
  const viewer = ctx.viewer;
  return (
    viewer?.user.platformRole === PlatformRole.STAFF &&
    tokenAllows(viewer, TokenArea.STAFF_CATALOG, TokenAccess.READ)
  );
}

/** Products by name: every live one; staff also see archived ones. */
export async function listProducts(ctx: Context): Promise<ApiProduct[]> {
  return ctx.em.find(ApiProduct, viewerIsStaff(ctx) ? {} : { archivedAt: null }, {
    orderBy: { name: 'asc', id: 'asc' },
  });
}

/** A product the viewer may see: live, or archived for staff. NOT_FOUND on `field` otherwise. */
export async function findProduct(ctx: Context, id: string, field = 'id'): Promise<ApiProduct> {
  const product = await productLoaders(ctx).productById.load(id);
  if (!product || (product.archivedAt && !viewerIsStaff(ctx))) throw notFound('Product', field);
  return product;
}

/** The product behind a reference (from the identity map, or batched). */
export async function productOf(ctx: Context, product: Ref<ApiProduct>): Promise<ApiProduct> {
  const found = await loadReference(product, productLoaders(ctx).productById);
  if (!found) throw notFound('Product');
  return found;
}

/** A live (not archived) product inside a transaction; NOT_FOUND on `field` otherwise. */
export async function findLiveProduct(
  em: EntityManager,
  id: string,
  field = 'productId',
): Promise<ApiProduct> {
  const product = await em.findOne(ApiProduct, { id, archivedAt: null });
  if (!product) throw notFound('Product', field);
  return product;
}

/** The approval rules as the API shows them; null unless the product is CONDITIONAL. */
export function approvalRulesOf(product: ApiProduct): ApprovalRulesType | null {
  if (product.approvalMode !== ApprovalMode.CONDITIONAL) return null;
  const rules = product.approvalRules;
  return {
    requireVerifiedOrg: rules.requireVerifiedOrg === true,
    minimumPlanRank: rules.minimumPlanRank ?? null,
    maximumPermissionLevel: rules.maximumPermissionLevel ?? null,
    emailDomains: rules.emailDomains ?? [],
  };
}

/** Staff create a product. */
export async function createProduct(ctx: Context, input: CreateProductInput): Promise<ApiProduct> {
  const data = parseInput(CreateProductSchema, input);
  const rules = rulesFor(data.approvalMode, data.approvalRules, {});
  assertDmPrefixesUnder(data.dmPathPrefixes, data.pathPrefixes);
  return mappingSlugConflict(() =>
    ctx.em.transactional(async (em) => {
      await assertMinimumRankExists(em, rules);
      await assertSlugFree(em, data.slug, null);
      await assertPathPrefixesFree(em, data.pathPrefixes, null);
      const product = new ApiProduct(data.name, data.slug);
      product.description = data.description;
      product.pathPrefixes = data.pathPrefixes;
      product.dmPathPrefixes = data.dmPathPrefixes;
      product.requiresProject = data.requiresProject;
      product.approvalMode = data.approvalMode;
      product.approvalRules = rules;
      em.persist(product);
      recordAudit(em, ctx, {
        organizationId: null,
        action: 'product.create',
        targetType: 'ApiProduct',
        targetId: product.id,
        data: {
          name: product.name,
          slug: product.slug,
          pathPrefixes: product.pathPrefixes,
          dmPathPrefixes: product.dmPathPrefixes,
          requiresProject: product.requiresProject,
          approvalMode: product.approvalMode,
          approvalRules: product.approvalRules,
        },
      });
      await announceCatalogChange(em, product, 'product.create');
      return product;
    }),
  );
}

const PRODUCT_SETTINGS = [
  'name',
  'slug',
  'description',
  'pathPrefixes',
  'dmPathPrefixes',
  'requiresProject',
  'approvalMode',
  'approvalRules',
] as const;
type ProductSetting = (typeof PRODUCT_SETTINGS)[number];

/** Staff change a live product; fields left out stay as they are. */
export async function updateProduct(ctx: Context, input: UpdateProductInput): Promise<ApiProduct> {
  return mappingSlugConflict(() =>
    ctx.em.transactional(async (em) => {
      const product = await em.findOne(
        ApiProduct,
        { id: input.productId },
        { lockMode: LockMode.PESSIMISTIC_WRITE },
      );
      if (!product) throw notFound('Product', 'productId');
      if (product.archivedAt) throw conflict('productId', 'An archived product cannot be changed.');
      const data = parseInput(UpdateProductSchema, input);

      const mode = data.approvalMode ?? product.approvalMode;
      const rules = rulesFor(
        mode,
        input.approvalRules === undefined ? undefined : (data.approvalRules ?? null),
        product.approvalRules,
      );
      const next: Pick<ApiProduct, ProductSetting> = {
        name: data.name ?? product.name,
        slug: data.slug ?? product.slug,
        description: data.description ?? product.description,
        pathPrefixes: data.pathPrefixes ?? product.pathPrefixes,
        dmPathPrefixes: data.dmPathPrefixes ?? product.dmPathPrefixes,
        requiresProject: data.requiresProject ?? product.requiresProject,
        approvalMode: mode,
        approvalRules: rules,
      };
      assertDmPrefixesUnder(next.dmPathPrefixes, next.pathPrefixes);
      await assertMinimumRankExists(em, rules);
      if (next.slug !== product.slug) await assertSlugFree(em, next.slug, product.id);
      if (!sameValue(next.pathPrefixes, product.pathPrefixes)) {
        await assertPathPrefixesFree(em, next.pathPrefixes, product.id);
      }

      const changes: Record<string, { from: unknown; to: unknown }> = {};
      for (const key of PRODUCT_SETTINGS) {
        if (sameValue(product[key], next[key])) continue;
        changes[key] = { from: product[key], to: next[key] };
      }
      Object.assign(product, next);
      if (Object.keys(changes).length) {
        recordAudit(em, ctx, {
          organizationId: null,
          action: 'product.update',
          targetType: 'ApiProduct',
          targetId: product.id,
          data: { name: product.name, changes },
        });
        await announceCatalogChange(em, product, 'product.update');
      }
      return product;
    }),
  );
}

/**
 * Staff archive a product: it leaves every list and query but staff's, its path prefixes are
 * free for other products, and it can no longer be changed, requested or subscribed to.
 */
export async function archiveProduct(
  ctx: Context,
  input: ArchiveProductInput,
): Promise<ApiProduct> {
  return ctx.em.transactional(async (em) => {
    const product = await em.findOne(
      ApiProduct,
      { id: input.productId },
      { lockMode: LockMode.PESSIMISTIC_WRITE },
    );
    if (!product) throw notFound('Product', 'productId');
    if (product.archivedAt) throw conflict('productId', 'This product is already archived.');
    product.archivedAt = new Date();
    recordAudit(em, ctx, {
      organizationId: null,
      action: 'product.archive',
      targetType: 'ApiProduct',
      targetId: product.id,
      data: { name: product.name, slug: product.slug },
    });
    await announceCatalogChange(em, product, 'product.archive');
    return product;
  });
}

/** Every gateway reloads its catalog (products, path prefixes, plans) on this event. */
async function announceCatalogChange(
  em: EntityManager,
  product: ApiProduct,
  change: Extract<CatalogChange, `product.${string}`>,
): Promise<void> {
  await publish(em, 'catalog.changed', { subjectId: product.id, change });
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * The rules to store for `mode`: `given` (undefined: keep `current`; null: none). A CONDITIONAL
 * product needs at least one condition; any other mode stores none and refuses conditions.
 */
function rulesFor(
  mode: ApprovalMode,
  given: ParsedApprovalRules | null | undefined,
  current: ApprovalRules,
): ApprovalRules {
  if (mode !== ApprovalMode.CONDITIONAL) {
    if (given && configuredConditions(given).length) {
      throw badInput('approvalRules', 'Approval rules apply to CONDITIONAL products only.');
    }
    return {};
  }
  const rules = given === undefined ? current : (given ?? {});
  if (!configuredConditions(rules).length) {
    throw badInput(
      'approvalRules',
      'A CONDITIONAL product needs at least one condition (verified organization, minimum plan, maximum permission level or email domains).',
    );
  }
  return {
    requireVerifiedOrg: rules.requireVerifiedOrg === true,
    minimumPlanRank: rules.minimumPlanRank ?? null,
    maximumPermissionLevel: rules.maximumPermissionLevel ?? null,
    emailDomains: rules.emailDomains ?? [],
  };
}

async function assertMinimumRankExists(em: EntityManager, rules: ApprovalRules): Promise<void> {
  if (typeof rules.minimumPlanRank !== 'number') return;
  await ensureDefaultPlans(em);
  if (!(await em.count(Plan, { rank: rules.minimumPlanRank }))) {
    throw badInput('approvalRules.minimumPlanRank', 'No plan has this rank.');
  }
}

function assertDmPrefixesUnder(dmPathPrefixes: string[], pathPrefixes: string[]): void {
  dmPathPrefixes.forEach((dm, index) => {
    if (!pathPrefixes.some((prefix) => isUnderPrefix(dm, prefix))) {
      throw badInput(
        `dmPathPrefixes.${index}`,
        `DM path prefix ${dm} does not sit under any of the product's path prefixes.`,
      );
    }
  });
}

async function assertSlugFree(
  em: EntityManager,
  slug: string,
  exceptProductId: string | null,
): Promise<void> {
  const clashes = await em.count(ApiProduct, {
    slug,
    ...(exceptProductId ? { id: { $ne: exceptProductId } } : {}),
  });
  if (clashes) throw slugTaken();
}

/** A path prefix belongs to at most one live product (CONFLICT on `pathPrefixes.<i>`). */
async function assertPathPrefixesFree(
  em: EntityManager,
  pathPrefixes: string[],
  exceptProductId: string | null,
): Promise<void> {
  await em.execute('select pg_advisory_xact_lock(hashtext(?))', [PATH_PREFIX_LOCK]);
  const others = await em.find(ApiProduct, {
    archivedAt: null,
    pathPrefixes: { $overlap: pathPrefixes },
    ...(exceptProductId ? { id: { $ne: exceptProductId } } : {}),
  });
  pathPrefixes.forEach((prefix, index) => {
    const owner = others.find((other) => other.pathPrefixes.includes(prefix));
    if (owner) {
      throw conflict(
        `pathPrefixes.${index}`,
        `Path prefix ${prefix} already belongs to the product ${owner.name}.`,
      );
    }
  });
}

/** The unique index settles slug races the check above cannot see. */
const mappingSlugConflict = <T>(run: () => Promise<T>): Promise<T> =>
  mappingConstraintErrors({ [SLUG_CONSTRAINT]: slugTaken }, run);
