import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { createContext, NO_COOKIES, type Context, type Services } from '../../context.js';
import { badInput, conflict, notFound } from '../../errors.js';
import { fields, parseInput } from '../../graphql/validation.js';
import { recordAudit } from '../../audit/record.js';
import { requireViewer } from '../../auth/permissions.js';
import { publish } from '../../events/events.service.js';
import { User } from '../accounts/accounts.entity.js';
import { EFFECTIVE_GRANTS_VIEW } from '../grants/grants.effective.js';
import { GrantStatus } from '../grants/grants.entity.js';
import { notify } from '../notifications/notifications.service.js';
import { ApiProduct } from '../products/products.entity.js';
import { findLiveProduct } from '../products/products.service.js';
import { canReadDocs, viewerIsStaff } from './catalogue.access.js';
import { ChangelogEntry, ChangelogKind } from './catalogue.entity.js';
import { catalogueLoaders } from './catalogue.loaders.js';
import { HTTP_METHODS } from './catalogue.openapi.js';
import type {
  CreateChangelogEntryInput,
  PublishChangelogEntryInput,
  UpdateChangelogEntryInput,
} from './catalogue.types.js';

/** How long before a sunset the owners are reminded (once). */
export const SUNSET_REMINDER_WINDOW_MS = 14 * 24 * 3_600_000;
const BATCH = 50;

const METHODS = HTTP_METHODS.map((method) => method.toUpperCase());

const EntrySchema = z.object({
  productId: z.string(),
  kind: z.enum(ChangelogKind),
  title: fields.name('Title', 200),
  body: fields.optionalText('Body', 20_000).nullish(),
  endpointMethod: fields
    .line('Endpoint method')
    .transform((value) => value.toUpperCase())
    .refine(
      (value) => METHODS.includes(value),
      `Endpoint method must be one of ${METHODS.join(', ')}.`,
    )
    .nullish(),
  endpointPath: fields
    .line('Endpoint path')
    .max(2000, 'Endpoint path is too long.')
    .regex(/^\//, 'Endpoint path starts with /.')
    .nullish(),
  deprecationAt: z.date().nullish(),
  sunsetAt: z.date().nullish(),
  publish: z.boolean().nullish(),
});

const UpdateSchema = z.object({
  entryId: z.string(),
  title: fields.name('Title', 200).nullish(),
  body: fields.optionalText('Body', 20_000).nullish(),
  deprecationAt: z.date().nullish(),
  sunsetAt: z.date().nullish(),
});

function checkDates(kind: ChangelogKind, deprecationAt: Date | null, sunsetAt: Date | null): void {
  if (kind !== ChangelogKind.DEPRECATED) {
    if (deprecationAt)
      throw badInput('deprecationAt', 'Only a DEPRECATED entry has a deprecation date.');
    if (sunsetAt) throw badInput('sunsetAt', 'Only a DEPRECATED entry has a sunset date.');
    return;
  }
  if (deprecationAt && sunsetAt && sunsetAt.getTime() <= deprecationAt.getTime()) {
    throw badInput('sunsetAt', 'The sunset comes after the deprecation date.');
  }
}

/** Staff write a changelog entry (a draft unless `publish`). */
export async function createChangelogEntry(
  ctx: Context,
  input: CreateChangelogEntryInput,
): Promise<{ entry: ChangelogEntry; notifiedOwners: number }> {
  const viewer = requireViewer(ctx);
  const data = parseInput(EntrySchema, input);
  if (Boolean(data.endpointMethod) !== Boolean(data.endpointPath)) {
    throw badInput(
      data.endpointMethod ? 'endpointPath' : 'endpointMethod',
      'Give both the endpoint method and path, or neither.',
    );
  }
  const deprecationAt =
    data.kind === ChangelogKind.DEPRECATED ? (data.deprecationAt ?? new Date()) : null;
  checkDates(
    data.kind,
    data.kind === ChangelogKind.DEPRECATED ? deprecationAt : (data.deprecationAt ?? null),
    data.sunsetAt ?? null,
  );
  return ctx.em.transactional(async (em) => {
    const product = await findLiveProduct(em, data.productId);
    const entry = new ChangelogEntry({
      product: em.getReference(ApiProduct, product.id, { wrapped: true }),
      kind: data.kind,
      title: data.title,
      author: em.getReference(User, viewer.user.id, { wrapped: true }),
    });
    entry.body = data.body ?? '';
    entry.endpointMethod = data.endpointMethod ?? null;
    entry.endpointPath = data.endpointPath ?? null;
    entry.deprecationAt = deprecationAt;
    entry.sunsetAt = data.sunsetAt ?? null;
    em.persist(entry);
    recordAudit(em, ctx, {
      organizationId: null,
      action: 'catalogue.changelog.create',
      targetType: 'ChangelogEntry',
      targetId: entry.id,
      data: describeEntry(entry),
    });
    const notifiedOwners = data.publish ? await publishEntry(em, ctx, product, entry) : 0;
    return { entry, notifiedOwners };
  });
}

/** Staff change an entry's text or dates; a published entry is not announced again. */
export async function updateChangelogEntry(
  ctx: Context,
  input: UpdateChangelogEntryInput,
): Promise<ChangelogEntry> {
  const data = parseInput(UpdateSchema, input);
  return ctx.em.transactional(async (em) => {
    const entry = await em.findOne(
      ChangelogEntry,
      { id: data.entryId },
      { lockMode: LockMode.PESSIMISTIC_WRITE },
    );
    if (!entry) throw notFound('Changelog entry', 'entryId');
    const next = {
      title: data.title ?? entry.title,
      body: data.body ?? entry.body,
      deprecationAt:
        input.deprecationAt === undefined ? entry.deprecationAt : (data.deprecationAt ?? null),
      sunsetAt: input.sunsetAt === undefined ? entry.sunsetAt : (data.sunsetAt ?? null),
    };
    checkDates(entry.kind, next.deprecationAt, next.sunsetAt);
    if (next.sunsetAt?.getTime() !== entry.sunsetAt?.getTime()) entry.sunsetNoticeSentAt = null;
    Object.assign(entry, next);
    recordAudit(em, ctx, {
      organizationId: null,
      action: 'catalogue.changelog.update',
      targetType: 'ChangelogEntry',
      targetId: entry.id,
      data: describeEntry(entry),
    });
    if (entry.publishedAt && entry.kind === ChangelogKind.DEPRECATED) {
      await publish(em, 'catalog.changed', {
        subjectId: entry.product.id,
        change: 'changelog.publish',
      });
    }
    return entry;
  });
}

/** Staff publish a draft entry: its product's app owners are told, in-app and by email. */
export async function publishChangelogEntry(
  ctx: Context,
  input: PublishChangelogEntryInput,
): Promise<{ entry: ChangelogEntry; notifiedOwners: number }> {
  return ctx.em.transactional(async (em) => {
    const entry = await em.findOne(
      ChangelogEntry,
      { id: input.entryId },
      { lockMode: LockMode.PESSIMISTIC_WRITE },
    );
    if (!entry) throw notFound('Changelog entry', 'entryId');
    if (entry.publishedAt) throw conflict('entryId', 'This entry is already published.');
    const product = await findLiveProduct(em, entry.product.id, 'entryId');
    return { entry, notifiedOwners: await publishEntry(em, ctx, product, entry) };
  });
}

function describeEntry(entry: ChangelogEntry): Record<string, unknown> {
  return {
    productId: entry.product.id,
    kind: entry.kind,
    title: entry.title,
    endpoint: entry.endpointMethod ? `${entry.endpointMethod} ${entry.endpointPath}` : null,
    deprecationAt: entry.deprecationAt?.toISOString() ?? null,
    sunsetAt: entry.sunsetAt?.toISOString() ?? null,
  };
}

async function publishEntry(
  em: EntityManager,
  ctx: Context,
  product: ApiProduct,
  entry: ChangelogEntry,
): Promise<number> {
  entry.publishedAt = new Date();
  recordAudit(em, ctx, {
    organizationId: null,
    action: 'catalogue.changelog.publish',
    targetType: 'ChangelogEntry',
    targetId: entry.id,
    data: describeEntry(entry),
  });
  if (entry.kind === ChangelogKind.DEPRECATED || entry.kind === ChangelogKind.REMOVED) {
    await publish(em, 'catalog.changed', { subjectId: product.id, change: 'changelog.publish' });
  }
  const owners = await ownersOfGrantedApps(em, product.id);
  for (const owner of owners) {
    await notify(em, ctx, {
      userId: owner.userId,
      ...changelogNotice(product, entry, owner.appNames),
    });
  }
  return owners.length;
}

export interface AppOwner {
  userId: string;
  appNames: string[];
}

/** Owners of the live apps the product is granted to (approved), each once with their apps. */
export async function ownersOfGrantedApps(
  em: EntityManager,
  productId: string,
): Promise<AppOwner[]> {
  const rows = await em.getConnection().execute<{ owner_id: string; names: string[] }[]>(
    `select a.owner_id, array_agg(a.name order by a.name) as names
     from ${EFFECTIVE_GRANTS_VIEW} g join app a on a.id = g.app_id
     where g.product_id = ? and g.status = ? and a.deleted_at is null
     group by a.owner_id order by a.owner_id`,
    [productId, GrantStatus.APPROVED],
    'all',
    em.getTransactionContext(),
  );
  return rows.map((row) => ({ userId: row.owner_id, appNames: row.names }));
}

const day = (date: Date): string => date.toISOString().slice(0, 10);

/** The product's documentation page in the web app (`/docs/:productSlug`). */
export function productDocsPath(product: Pick<ApiProduct, 'slug'>): string {
  return `/docs/${product.slug}`;
}

/** The changelog tab of the product's documentation page. */
export function productChangelogPath(product: Pick<ApiProduct, 'slug'>): string {
  return `${productDocsPath(product)}?tab=changelog`;
}

/** The Labs page, where developers read staff's answers to their feedback. */
export const LABS_PATH = '/labs';

function subjectOf(entry: ChangelogEntry): string {
  return entry.endpointMethod ? `${entry.endpointMethod} ${entry.endpointPath}` : 'the product';
}

/** The notice (in-app and mail) an owner gets when an entry is published. */
export function changelogNotice(
  product: ApiProduct,
  entry: ChangelogEntry,
  appNames: string[],
): { kind: string; title: string; body: string; link: string } {
  const lines = [`${product.name}: ${entry.title}`, ''];
  if (entry.kind === ChangelogKind.DEPRECATED) {
    lines.push(
      `${subjectOf(entry)} is deprecated${entry.deprecationAt ? ` as of ${day(entry.deprecationAt)}` : ''}.`,
    );
    if (entry.sunsetAt) lines.push(`It stops working on ${day(entry.sunsetAt)}.`);
  } else if (entry.kind === ChangelogKind.REMOVED) {
    lines.push(`${subjectOf(entry)} was removed.`);
  }
  if (entry.body) lines.push('', entry.body);
  lines.push('', `Your apps using ${product.name}: ${appNames.join(', ')}.`);
  return {
    kind: 'catalogue.changelog',
    title:
      entry.kind === ChangelogKind.DEPRECATED
        ? `${product.name}: deprecation notice`
        : `${product.name}: ${entry.title}`,
    body: lines.join('\n'),
    link: productChangelogPath(product),
  };
}

/** The product's changelog the viewer may read: published entries; staff also see drafts. */
export async function changelogOf(ctx: Context, product: ApiProduct): Promise<ChangelogEntry[]> {
  if (!(await canReadDocs(ctx, product))) return [];
  const entries = await catalogueLoaders(ctx).changelogByProduct.load(product.id);
  return viewerIsStaff(ctx) ? entries : entries.filter((entry) => entry.publishedAt !== null);
}

/** Published entries for the feed (newest first, at most 50). */
export async function publishedChangelog(
  em: EntityManager,
  productId: string,
): Promise<ChangelogEntry[]> {
  return em.find(
    ChangelogEntry,
    { product: productId, publishedAt: { $ne: null } },
    { orderBy: { publishedAt: 'desc', id: 'desc' }, limit: 50 },
  );
}

/** The deprecation in force for the whole product (published, product-wide), if any. */
export async function deprecationOf(
  ctx: Context,
  product: ApiProduct,
): Promise<ChangelogEntry | null> {
  const entries = await changelogOf(ctx, product);
  return (
    entries.find(
      (entry) =>
        entry.publishedAt !== null &&
        entry.kind === ChangelogKind.DEPRECATED &&
        entry.endpointMethod === null,
    ) ?? null
  );
}

/** A changelog entry by id (for `node`), if the viewer may read it. */
export async function findChangelogEntry(ctx: Context, id: string): Promise<ChangelogEntry | null> {
  const entry = await ctx.em.findOne(ChangelogEntry, { id });
  if (!entry) return null;
  const product = await ctx.em.findOne(ApiProduct, { id: entry.product.id });
  if (!product) return null;
  return (await changelogOf(ctx, product)).some((item) => item.id === entry.id) ? entry : null;
}

/**
 * Reminds the owners of apps granted a product, once per entry, that a published deprecation's
 * sunset is less than 14 days away. In batches; each batch locks its entries (skipping those
 * another instance holds) and marks them reminded in the transaction of the notices.
 */
export async function sendSunsetReminders(
  em: EntityManager,
  now: Date,
  services: Services,
): Promise<string[]> {
  const ctx = createContext(services, null, { ip: null, userAgent: null }, NO_COOKIES, em);
  const until = new Date(now.getTime() + SUNSET_REMINDER_WINDOW_MS);
  const reminded: string[] = [];
  for (;;) {
    const ids = await ctx.em.transactional(async (tx) => {
      const entries = await tx
        .createQueryBuilder(ChangelogEntry, 'e')
        .select('e.*')
        .where({
          kind: ChangelogKind.DEPRECATED,
          publishedAt: { $ne: null },
          sunsetNoticeSentAt: null,
          sunsetAt: { $gt: now, $lte: until },
        })
        .orderBy({ sunsetAt: 'asc', id: 'asc' })
        .limit(BATCH)
        .setLockMode(LockMode.PESSIMISTIC_PARTIAL_WRITE, ['e'])
        .getResultList();
      for (const entry of entries) {
        entry.sunsetNoticeSentAt = now;
        const product = await tx.findOne(ApiProduct, { id: entry.product.id });
        if (!product || product.archivedAt) continue;
        for (const owner of await ownersOfGrantedApps(tx, product.id)) {
          const notice = changelogNotice(product, entry, owner.appNames);
          await notify(tx, ctx, {
            userId: owner.userId,
            ...notice,
            kind: 'catalogue.sunset',
            title: `${product.name}: ${subjectOf(entry)} stops working on ${day(entry.sunsetAt ?? now)}`,
          });
        }
      }
      return entries.map((entry) => entry.id);
    });
    reminded.push(...ids);
    if (ids.length < BATCH) return reminded;
  }
}
