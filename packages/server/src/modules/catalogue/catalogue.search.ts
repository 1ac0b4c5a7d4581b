import type { Context } from '../../context.js';
import { badInput } from '../../errors.js';
import { ApiProduct } from '../products/products.entity.js';
import { listCatalogue } from './catalogue.access.js';
import {
  ApiEndpoint,
  DocumentKind,
  ENDPOINT_SEARCH_SQL,
  ProductDocument,
  REVISION_SEARCH_SQL,
} from './catalogue.entity.js';
import { CatalogueSearchHitKind, type CatalogueSearchHit } from './catalogue.types.js';

interface HitRow {
  kind: CatalogueSearchHitKind;
  id: string;
  product_id: string;
  title: string;
  snippet: string;
  rank: number;
}

const HEADLINE = `'StartSel="",StopSel="",MaxWords=30,MinWords=12,MaxFragments=1'`;

/**
 * Full-text search (PostgreSQL, `websearch_to_tsquery`) over the published guides and the
 * endpoints of the products whose docs the viewer may read; optionally of one product.
 */
export async function searchCatalogue(
  ctx: Context,
  query: string,
  productId: string | null,
  first: number,
): Promise<CatalogueSearchHit[]> {
  const text = query.trim();
  if (!text) throw badInput('query', 'Type something to search for.');
  if (text.length > 200) throw badInput('query', 'A search is at most 200 characters.');
  const limit = Math.min(Math.max(first, 1), 50);
  const products = (await listCatalogue(ctx)).filter(
    (product) => !productId || product.id === productId,
  );
  if (!products.length) return [];
  const ids = products.map((product) => product.id);
  const rows = await ctx.em.getConnection().execute<HitRow[]>(
    `with q as (select websearch_to_tsquery('english', ?) as query)
     select * from (
       select 'GUIDE' as kind, d.id, d.product_id, r.title,
         ts_headline('english', r.source, q.query, ${HEADLINE}) as snippet,
         ts_rank(${REVISION_SEARCH_SQL}, q.query) as rank
       from product_document d join document_revision r on r.id = d.published_revision_id, q
       where d.product_id in (?) and d.kind <> ? and (${REVISION_SEARCH_SQL}) @@ q.query
       union all
       select 'ENDPOINT', e.id, e.product_id, e.method || ' ' || e.path,
         ts_headline('english', e.summary || ' ' || e.description, q.query, ${HEADLINE}),
         ts_rank(${ENDPOINT_SEARCH_SQL}, q.query)
       from api_endpoint e, q
       where e.product_id in (?) and (${ENDPOINT_SEARCH_SQL}) @@ q.query
     ) hits order by rank desc, title asc limit ?`,
    [text, ids, DocumentKind.OPENAPI, ids, limit],
  );
  const productById = new Map(products.map((product) => [product.id, product]));
  const documents = await ctx.em.find(ProductDocument, {
    id: {
      $in: rows.filter((row) => row.kind === CatalogueSearchHitKind.GUIDE).map((row) => row.id),
    },
  });
  const endpoints = await ctx.em.find(ApiEndpoint, {
    id: {
      $in: rows.filter((row) => row.kind === CatalogueSearchHitKind.ENDPOINT).map((row) => row.id),
    },
  });
  const documentById = new Map(documents.map((document) => [document.id, document]));
  const endpointById = new Map(endpoints.map((endpoint) => [endpoint.id, endpoint]));
  return rows.flatMap((row) => {
    const product: ApiProduct | undefined = productById.get(row.product_id);
    if (!product) return [];
    return [
      {
        kind: row.kind,
        product,
        document: documentById.get(row.id) ?? null,
        endpoint: endpointById.get(row.id) ?? null,
        title: row.title,
        snippet: row.snippet.replace(/\s+/g, ' ').trim(),
        rank: Number(row.rank),
      },
    ];
  });
}
