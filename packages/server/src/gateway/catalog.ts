import type { Logger } from 'pino';
import { DEFAULT_PLANS } from '../modules/products/plans.service.js';
import { pathHasPrefix } from '../modules/products/permission-rule.js';
import type { GatewayDb } from './gateway-db.js';
import {
  DEPRECATIONS_SQL,
  deprecationsByProduct,
  type DeprecationRow,
  type ProductDeprecations,
} from './deprecations.js';

export interface ProductInfo {
  readonly id: string;
  readonly slug: string;
  readonly dmPrefixes: readonly string[];
  readonly live: boolean;
  /** Published deprecations (changelog), for the `Deprecation` and `Sunset` headers. */
  readonly deprecations?: ProductDeprecations;
}

export interface PlanLimits {
  readonly id: string;
  readonly name: string;
  readonly monthlyRequestCap: number | null;
  readonly monthlyUnitCap: number | null;
  readonly rateLimitRequests: number;
  readonly rateLimitWindowMs: number;
}

interface CatalogData {
  /** Live products' path prefixes, longest first. */
  prefixes: { prefix: string; product: ProductInfo }[];
  products: Map<string, ProductInfo>;
  bySlug: Map<string, ProductInfo>;
  plans: Map<string, PlanLimits>;
  lowestPlan: PlanLimits | null;
  /** Organization id → product id → plan id (no key to build on each verification). */
  subscriptions: Map<string, Map<string, string>>;
}

const emptyCatalog = (): CatalogData => ({
  prefixes: [],
  products: new Map(),
  bySlug: new Map(),
  plans: new Map(),
  lowestPlan: null,
  subscriptions: new Map(),
});

export { pathHasPrefix };

interface ProductRow {
  id: string;
  slug: string;
  path_prefixes: string[];
  dm_path_prefixes: string[];
  archived: boolean;
}
interface PlanRow {
  id: string;
  name: string;
  rank: number;
  monthly_request_cap: string | null;
  monthly_unit_cap: string | null;
  rate_limit_requests: number;
  rate_limit_window_seconds: number;
}
interface SubscriptionRow {
  organization_id: string;
  product_id: string;
  plan_id: string;
}

/**
 * What every verification needs about products and plans, held in memory: all products,
 * plans and plan subscriptions (small tables), reloaded whenever the event bus says they
 * changed and every 30 seconds in any case.
 */
export class GatewayCatalog {
  private data: CatalogData = emptyCatalog();
  private loading: Promise<void> | null = null;
  private next: Promise<void> | null = null;

  constructor(
    private readonly db: GatewayDb,
    private readonly log: Logger,
  ) {}

  /**
   * Loads now. A reload asked for while one runs waits for it and loads once more (many such
   * requests share that one), so the caller sees what was committed before it asked.
   */
  reload(): Promise<void> {
    if (this.loading) {
      this.next ??= this.loading.then(() => {
        this.next = null;
        return this.reload();
      });
      return this.next;
    }
    this.loading = this.load()
      .catch((err: unknown) => this.log.warn({ err }, 'gateway catalog reload failed'))
      .finally(() => {
        this.loading = null;
      });
    return this.loading;
  }

  private async load(): Promise<void> {
    const [products, plans, subscriptions, deprecationRows] = await Promise.all([
      this.db.query<ProductRow>(
        'select id, slug, path_prefixes, dm_path_prefixes, archived_at is not null as archived from api_product',
        [],
        true,
      ),
      this.db.query<PlanRow>(
        'select id, name, rank, monthly_request_cap::text, monthly_unit_cap::text, rate_limit_requests, rate_limit_window_seconds from plan order by rank',
        [],
        true,
      ),
      this.db.query<SubscriptionRow>(
        'select organization_id, product_id, plan_id from plan_subscription',
        [],
        true,
      ),
      this.db.query<DeprecationRow>(DEPRECATIONS_SQL, [], true),
    ]);
    const deprecations = deprecationsByProduct(deprecationRows);
    const data = emptyCatalog();
    for (const row of products) {
      const product: ProductInfo = {
        id: row.id,
        slug: row.slug,
        dmPrefixes: row.dm_path_prefixes,
        live: !row.archived,
        ...(deprecations.has(row.id) ? { deprecations: deprecations.get(row.id) } : {}),
      };
      data.products.set(row.id, product);
      data.bySlug.set(row.slug, product);
      if (product.live) {
        for (const prefix of row.path_prefixes) data.prefixes.push({ prefix, product });
      }
    }
    data.prefixes.sort((a, b) => b.prefix.length - a.prefix.length);
    for (const row of plans) {
      const plan: PlanLimits = {
        id: row.id,
        name: row.name,
        monthlyRequestCap:
          row.monthly_request_cap === null ? null : Number(row.monthly_request_cap),
        monthlyUnitCap: row.monthly_unit_cap === null ? null : Number(row.monthly_unit_cap),
        rateLimitRequests: row.rate_limit_requests,
        rateLimitWindowMs: row.rate_limit_window_seconds * 1000,
      };
      data.plans.set(row.id, plan);
      data.lowestPlan ??= plan;
    }
    if (!data.lowestPlan && DEFAULT_PLANS[0]) {
      // No plan rows yet: the plans every installation starts with apply (as in planFor).
      const free = DEFAULT_PLANS[0];
      data.lowestPlan = {
        id: '',
        name: free.name,
        monthlyRequestCap: free.monthlyRequestCap,
        monthlyUnitCap: free.monthlyUnitCap,
        rateLimitRequests: free.rateLimitRequests,
        rateLimitWindowMs: free.rateLimitWindowSeconds * 1000,
      };
    }
    for (const row of subscriptions) {
      let byProduct = data.subscriptions.get(row.organization_id);
      if (byProduct === undefined) {
        byProduct = new Map();
        data.subscriptions.set(row.organization_id, byProduct);
      }
      byProduct.set(row.product_id, row.plan_id);
    }
    this.data = data;
  }

  /** The live product whose longest path prefix matches `path`. */
  productForPath(path: string): ProductInfo | null {
    for (const { prefix, product } of this.data.prefixes) {
      if (pathHasPrefix(path, prefix)) return product;
    }
    return null;
  }

  /** A product (live or archived) by id or slug, for usage reports. */
  product(idOrSlug: string): ProductInfo | null {
    return this.data.products.get(idOrSlug) ?? this.data.bySlug.get(idOrSlug) ?? null;
  }

  /** The organization's plan for the product, else the lowest-rank plan. */
  planFor(organizationId: string, productId: string): PlanLimits | null {
    const planId = this.data.subscriptions.get(organizationId)?.get(productId);
    return (planId ? this.data.plans.get(planId) : undefined) ?? this.data.lowestPlan;
  }
}
