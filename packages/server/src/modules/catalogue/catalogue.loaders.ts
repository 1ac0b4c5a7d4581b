import DataLoader from 'dataloader';
import type { Context } from '../../context.js';
import { byId, groupBy, perRequest } from '../../loaders.js';
import {
  ApiEndpoint,
  ChangelogEntry,
  DocumentRevision,
  ProductCatalogue,
  ProductDocument,
} from './catalogue.entity.js';

/** Per-request loaders of the catalogue: each batch is one SQL statement. */
function createCatalogueLoaders(ctx: Context) {
  const em = ctx.em;
  return {
    /** Each product's catalogue settings (null: none saved yet, i.e. private and not Labs). */
    settingsByProduct: new DataLoader<string, ProductCatalogue | null>(async (productIds) => {
      const rows = await em.find(ProductCatalogue, { product: { $in: [...productIds] } });
      const map = new Map(rows.map((row) => [row.product.id, row]));
      return productIds.map((id) => map.get(id) ?? null);
    }),
    /** Each product's documents, by position then slug. */
    documentsByProduct: new DataLoader<string, ProductDocument[]>(async (productIds) =>
      groupBy(
        await em.find(
          ProductDocument,
          { product: { $in: [...productIds] } },
          { orderBy: { position: 'asc', slug: 'asc' } },
        ),
        productIds,
        (row) => row.product.id,
      ),
    ),
    documentById: new DataLoader<string, ProductDocument | null>(async (ids) =>
      byId(await em.find(ProductDocument, { id: { $in: [...ids] } }), ids),
    ),
    revisionById: new DataLoader<string, DocumentRevision | null>(async (ids) =>
      byId(await em.find(DocumentRevision, { id: { $in: [...ids] } }), ids),
    ),
    /** Each document's versions, newest first. */
    revisionsByDocument: new DataLoader<string, DocumentRevision[]>(async (documentIds) =>
      groupBy(
        await em.find(
          DocumentRevision,
          { document: { $in: [...documentIds] } },
          { orderBy: { number: 'desc' } },
        ),
        documentIds,
        (row) => row.document.id,
      ),
    ),
    /** The newest version of each document. */
    latestRevisionByDocument: new DataLoader<string, DocumentRevision | null>(
      async (documentIds) => {
        const rows = await em.getConnection().execute<{ id: string; document_id: string }[]>(
          `select distinct on (document_id) id, document_id from document_revision
             where document_id in (?) order by document_id, number desc`,
          [[...documentIds]],
        );
        const revisions = await em.find(DocumentRevision, { id: { $in: rows.map((r) => r.id) } });
        const map = new Map(revisions.map((row) => [row.document.id, row]));
        return documentIds.map((id) => map.get(id) ?? null);
      },
    ),
    /** Each product's endpoints, in the order of its OpenAPI description. */
    endpointsByProduct: new DataLoader<string, ApiEndpoint[]>(async (productIds) =>
      groupBy(
        await em.find(
          ApiEndpoint,
          { product: { $in: [...productIds] } },
          { orderBy: { position: 'asc' } },
        ),
        productIds,
        (row) => row.product.id,
      ),
    ),
    /** Each product's changelog, newest first (drafts included: callers filter). */
    changelogByProduct: new DataLoader<string, ChangelogEntry[]>(async (productIds) =>
      groupBy(
        await em.find(
          ChangelogEntry,
          { product: { $in: [...productIds] } },
          { orderBy: { publishedAt: 'desc nulls first', createdAt: 'desc' } },
        ),
        productIds,
        (row) => row.product.id,
      ),
    ),
  };
}

export type CatalogueLoaders = ReturnType<typeof createCatalogueLoaders>;

export const catalogueLoaders = perRequest(createCatalogueLoaders);
