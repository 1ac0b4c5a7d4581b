import { gatewayPathOf } from '../modules/catalogue/index.js';

/** The `Deprecation` (RFC 9745) and `Sunset` (RFC 8594) header values of one deprecation. */
export interface DeprecationHeaders {
  /** `@<unix seconds>` */
  readonly deprecation: string;
  /** An HTTP-date, or null when no sunset is set. */
  readonly sunset: string | null;
}

/** A product's published deprecations: the whole product's, and per endpoint. */
export interface ProductDeprecations {
  readonly product: DeprecationHeaders | null;
  readonly endpoints: readonly {
    readonly method: string;
    /** The endpoint's gateway path, `{param}` matching one segment. */
    readonly pattern: RegExp;
    readonly headers: DeprecationHeaders;
  }[];
}

export interface DeprecationRow {
  product_id: string;
  endpoint_method: string | null;
  endpoint_path: string | null;
  deprecation_at: Date | null;
  sunset_at: Date | null;
  api_base_url: string | null;
}

/** Published DEPRECATED entries, newest first (the newest of a product or endpoint wins). */
export const DEPRECATIONS_SQL = `select e.product_id, e.endpoint_method, e.endpoint_path, e.deprecation_at, e.sunset_at,
  c.api_base_url
from changelog_entry e left join product_catalogue c on c.product_id = e.product_id
where e.kind = 'DEPRECATED' and e.published_at is not null
order by e.published_at desc, e.id desc`;

function headersOf(row: DeprecationRow): DeprecationHeaders {
  const since = row.deprecation_at ?? new Date(0);
  return {
    deprecation: `@${Math.floor(since.getTime() / 1000)}`,
    sunset: row.sunset_at ? row.sunset_at.toUTCString() : null,
  };
}

function patternOf(path: string): RegExp {
  const parts = path.split(/\{[^/}]+\}/).map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('[^/]+')}/?$`);
}

/** Each product's deprecations, from the rows of `DEPRECATIONS_SQL`. */
export function deprecationsByProduct(rows: DeprecationRow[]): Map<string, ProductDeprecations> {
  const building = new Map<
    string,
    { product: DeprecationHeaders | null; endpoints: ProductDeprecations['endpoints'][number][] }
  >();
  for (const row of rows) {
    const entry = building.get(row.product_id) ?? { product: null, endpoints: [] };
    building.set(row.product_id, entry);
    if (row.endpoint_method && row.endpoint_path) {
      entry.endpoints.push({
        method: row.endpoint_method,
        pattern: patternOf(gatewayPathOf(row.api_base_url, row.endpoint_path)),
        headers: headersOf(row),
      });
    } else {
      entry.product ??= headersOf(row);
    }
  }
  return building;
}

/** The headers for a request: its endpoint's deprecation first, else the product's. */
export function deprecationFor(
  deprecations: ProductDeprecations | undefined,
  method: string,
  path: string,
): DeprecationHeaders | null {
  if (!deprecations) return null;
  const bare = path.split('?')[0] ?? path;
  for (const endpoint of deprecations.endpoints) {
    if (endpoint.method === method && endpoint.pattern.test(bare)) return endpoint.headers;
  }
  return deprecations.product;
}
