import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import type { Context } from '../../context.js';
import { fields, parseInput } from '../../graphql/validation.js';
import { recordAudit } from '../../audit/record.js';
import { App } from '../apps/apps.entity.js';
import { notify } from '../notifications/notifications.service.js';
import type { ApiProduct } from '../products/products.entity.js';
import { findLiveProduct, findProduct } from '../products/products.service.js';
import { productChangelogPath } from './catalogue.changelog.js';
import type { DeprecationImpact, SendDeprecationNoticeInput } from './catalogue.types.js';
import { productCallers } from './catalogue.usage.js';

export const IMPACT_DAYS = 30;
const DAY_MS = 86_400_000;

function windowStart(now: Date): Date {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return new Date(today - (IMPACT_DAYS - 1) * DAY_MS);
}

interface AppTraffic {
  app: App;
  requests: number;
  daily: number[];
  lastCalledAt: Date | null;
}

/** Live apps that called the product in the last 30 days (UTC days), with per-day counts. */
async function trafficByApp(
  em: EntityManager,
  product: ApiProduct,
  now: Date,
): Promise<AppTraffic[]> {
  const since = windowStart(now);
  const { daily: rows, lastCalledAt } = await productCallers(
    em,
    product.id,
    since,
    new Date(since.getTime() + IMPACT_DAYS * DAY_MS),
  );
  const apps = await em.find(
    App,
    { id: { $in: [...new Set(rows.map((row) => row.appId))] }, deletedAt: null },
    { populate: ['owner', 'organization'] },
  );
  const byId = new Map(apps.map((app) => [app.id, app]));
  const traffic = new Map<string, AppTraffic>();
  for (const row of rows) {
    const app = byId.get(row.appId);
    if (!app) continue;
    let entry = traffic.get(app.id);
    if (!entry) {
      entry = {
        app,
        requests: 0,
        daily: new Array<number>(IMPACT_DAYS).fill(0),
        lastCalledAt: lastCalledAt.get(app.id) ?? null,
      };
      traffic.set(app.id, entry);
    }
    const index = Math.round((Date.parse(`${row.day}T00:00:00Z`) - since.getTime()) / DAY_MS);
    if (index >= 0 && index < IMPACT_DAYS)
      entry.daily[index] = (entry.daily[index] ?? 0) + row.requests;
    entry.requests += row.requests;
  }
  return [...traffic.values()].sort(
    (a, b) => b.requests - a.requests || a.app.id.localeCompare(b.app.id),
  );
}

const sum = (values: number[]): number => values.reduce((total, value) => total + value, 0);

/** Staff: which apps and organizations called the product in the last 30 days, with trends. */
export async function deprecationImpact(
  ctx: Context,
  productId: string,
  now = new Date(),
): Promise<DeprecationImpact> {
  const product = await findProduct(ctx, productId, 'productId');
  const traffic = await trafficByApp(ctx.em, product, now);
  return {
    product,
    since: windowStart(now),
    totalRequests: sum(traffic.map((entry) => entry.requests)),
    organizationCount: new Set(traffic.map((entry) => entry.app.organization.id)).size,
    apps: traffic.map((entry) => ({
      app: entry.app,
      organization: entry.app.organization.getEntity(),
      ownerEmail: entry.app.owner.getEntity().email,
      requests: entry.requests,
      lastWeekRequests: sum(entry.daily.slice(-7)),
      previousWeekRequests: sum(entry.daily.slice(-14, -7)),
      daily: entry.daily,
      lastCalledAt: entry.lastCalledAt,
    })),
  };
}

const NoticeSchema = z.object({
  productId: z.string(),
  message: fields
    .text('Message')
    .min(1, 'Message is required.')
    .max(5000, 'Message must be at most 5,000 characters.'),
});

/** Staff tell the owners of exactly the apps that called the product in the last 30 days. */
export async function sendDeprecationNotice(
  ctx: Context,
  input: SendDeprecationNoticeInput,
  now = new Date(),
): Promise<number> {
  const data = parseInput(NoticeSchema, input);
  return ctx.em.transactional(async (em) => {
    const product = await findLiveProduct(em, data.productId);
    const traffic = await trafficByApp(em, product, now);
    const appsByOwner = new Map<string, string[]>();
    for (const entry of traffic) {
      const names = appsByOwner.get(entry.app.owner.id) ?? [];
      names.push(entry.app.name);
      appsByOwner.set(entry.app.owner.id, names);
    }
    for (const [userId, names] of appsByOwner) {
      await notify(em, ctx, {
        userId,
        kind: 'catalogue.deprecation_notice',
        title: `${product.name}: deprecation notice`,
        body: [
          data.message,
          '',
          `Your apps that called ${product.name} in the last ${IMPACT_DAYS} days: ${names.sort().join(', ')}.`,
        ].join('\n'),
        link: productChangelogPath(product),
      });
    }
    recordAudit(em, ctx, {
      organizationId: null,
      action: 'catalogue.deprecation_notice.send',
      targetType: 'ApiProduct',
      targetId: product.id,
      data: { name: product.name, notifiedOwners: appsByOwner.size, apps: traffic.length },
    });
    return appsByOwner.size;
  });
}
