import { LockMode, type Ref } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import type { Context } from '../../context.js';
import { ErrorCode, PorticoError, badInput, conflict, notFound } from '../../errors.js';
import { fields, parseInput } from '../../graphql/validation.js';
import { recordAudit } from '../../audit/record.js';
import { newId } from '../../ids.js';
import { requireViewer } from '../../auth/permissions.js';
import { mappingConstraintErrors } from '../../db/constraints.js';
import { User } from '../accounts/accounts.entity.js';
import { accountLoaders } from '../accounts/accounts.loaders.js';
import { ApiProduct } from '../products/products.entity.js';
import { findLiveProduct } from '../products/products.service.js';
import {
  ApiEndpoint,
  DocumentKind,
  DocumentRevision,
  ProductCatalogue,
  ProductDocument,
} from './catalogue.entity.js';
import { canReadDocs, viewerIsStaff } from './catalogue.access.js';
import { catalogueLoaders } from './catalogue.loaders.js';
import { OpenApiProblem, parseOpenApi, type ParsedOpenApi } from './catalogue.openapi.js';
import type {
  DeleteProductDocumentInput,
  PublishProductDocumentInput,
  SaveProductDocumentInput,
} from './catalogue.types.js';

export const MAX_MARKDOWN = 200_000;
export const MAX_OPENAPI = 1_000_000;

/** Kinds a product has at most one of, under a fixed slug. */
const SINGLE_SLUG: Partial<Record<DocumentKind, string>> = {
  [DocumentKind.OVERVIEW]: 'overview',
  [DocumentKind.OPENAPI]: 'openapi',
};

export const GUIDE_KINDS: readonly DocumentKind[] = [
  DocumentKind.QUICK_START,
  DocumentKind.MIGRATION_GUIDE,
  DocumentKind.GUIDE,
];

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

const SaveSchema = z.object({
  documentId: z.string().nullish(),
  productId: z.string().nullish(),
  kind: z.enum(DocumentKind).nullish(),
  slug: fields
    .line('Slug')
    .max(80, 'Slug must be at most 80 characters.')
    .regex(SLUG, 'Slug may hold a-z, 0-9 and single dashes between them.')
    .nullish(),
  title: fields.name('Title', 200),
  source: fields.text('Source').max(MAX_OPENAPI, 'Source must be at most 1,000,000 characters.'),
  note: fields.optionalText('Note', 500).nullish(),
  position: z
    .number()
    .int()
    .min(0, 'Position must be 0 or more.')
    .max(10_000, 'Position must be at most 10,000.')
    .nullish(),
  publish: z.boolean().nullish(),
});

function slugFromTitle(title: string): string {
  const slug = title
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/, '');
  return slug || 'guide';
}

const slugTaken = () => conflict('slug', 'Another document of this product uses this slug.');

/** Reads the OpenAPI text; a problem becomes BAD_USER_INPUT on `source` naming its line. */
export async function validateOpenApi(source: string): Promise<ParsedOpenApi> {
  try {
    return await parseOpenApi(source);
  } catch (error) {
    if (error instanceof OpenApiProblem) {
      throw new PorticoError(ErrorCode.BAD_USER_INPUT, error.message, 'source', {
        line: error.line,
        column: error.column,
      });
    }
    throw error;
  }
}

/** Staff save a new version of a document (a new document when none is given). */
export async function saveProductDocument(
  ctx: Context,
  input: SaveProductDocumentInput,
): Promise<{ document: ProductDocument; revision: DocumentRevision }> {
  const viewer = requireViewer(ctx);
  const data = parseInput(SaveSchema, input);
  return mappingConstraintErrors({ product_document_product_id_slug_unique: slugTaken }, () =>
    ctx.em.transactional(async (em) => {
      const document = await documentToSave(em, data);
      if (document.kind !== DocumentKind.OPENAPI && data.source.length > MAX_MARKDOWN) {
        throw badInput('source', 'Markdown must be at most 200,000 characters.');
      }
      const parsed =
        document.kind === DocumentKind.OPENAPI ? await validateOpenApi(data.source) : null;
      document.latestNumber += 1;
      if (data.position !== undefined && data.position !== null) document.position = data.position;
      document.updatedAt = new Date();
      const revision = new DocumentRevision({
        document: em.getReference(ProductDocument, document.id, { wrapped: true }),
        number: document.latestNumber,
        title: data.title,
        source: data.source,
        note: data.note ?? '',
        author: em.getReference(User, viewer.user.id, { wrapped: true }),
      });
      em.persist(revision);
      recordAudit(em, ctx, {
        organizationId: null,
        action: 'catalogue.document.save',
        targetType: 'ProductDocument',
        targetId: document.id,
        data: {
          productId: document.product.id,
          kind: document.kind,
          slug: document.slug,
          number: revision.number,
          title: revision.title,
          note: revision.note,
        },
      });
      if (data.publish) await publishRevision(em, ctx, document, revision, parsed);
      return { document, revision };
    }),
  );
}

async function documentToSave(
  em: EntityManager,
  data: z.infer<typeof SaveSchema>,
): Promise<ProductDocument> {
  if (data.documentId) {
    const document = await em.findOne(
      ProductDocument,
      { id: data.documentId },
      { lockMode: LockMode.PESSIMISTIC_WRITE },
    );
    if (!document) throw notFound('Document', 'documentId');
    await findLiveProduct(em, document.product.id, 'documentId');
    return document;
  }
  if (!data.productId) throw badInput('productId', 'Give a documentId, or a productId and kind.');
  if (!data.kind) throw badInput('kind', 'The kind of a new document is required.');
  const product = await findLiveProduct(em, data.productId);
  const fixed = SINGLE_SLUG[data.kind];
  const slug = fixed ?? data.slug ?? slugFromTitle(data.title);
  const existing = await em.findOne(
    ProductDocument,
    { product: product.id, slug },
    { lockMode: LockMode.PESSIMISTIC_WRITE },
  );
  if (existing) {
    if (fixed && existing.kind === data.kind) return existing;
    throw slugTaken();
  }
  if (!fixed && Object.values(SINGLE_SLUG).includes(slug)) {
    throw badInput('slug', `The slug ${slug} is kept for the product's ${slug} document.`);
  }
  const document = new ProductDocument(
    em.getReference(ApiProduct, product.id, { wrapped: true }),
    data.kind,
    slug,
  );
  em.persist(document);
  return document;
}

/**
 * Makes `revision` the one readers see. For the OpenAPI description, the product's endpoints
 * are replaced by the operations it describes and its base URL is kept for the code samples.
 */
async function publishRevision(
  em: EntityManager,
  ctx: Context,
  document: ProductDocument,
  revision: DocumentRevision,
  parsed: ParsedOpenApi | null,
): Promise<void> {
  const viewer = requireViewer(ctx);
  // The document and the revision point at each other: insert both before linking them.
  await em.flush();
  document.publishedRevision = em.getReference(DocumentRevision, revision.id, { wrapped: true });
  document.updatedAt = new Date();
  if (!revision.publishedAt) {
    revision.publishedAt = new Date();
    revision.publishedBy = em.getReference(User, viewer.user.id, { wrapped: true });
  }
  if (document.kind === DocumentKind.OPENAPI) {
    const spec = parsed ?? (await validateOpenApi(revision.source));
    await em.nativeDelete(ApiEndpoint, { product: document.product.id });
    em.persist(
      endpointRows(
        em.getReference(ApiProduct, document.product.id, { wrapped: true }),
        em.getReference(DocumentRevision, revision.id, { wrapped: true }),
        spec,
      ),
    );
    const settings = await catalogueSettingsForUpdate(em, document.product.id);
    settings.apiBaseUrl = spec.baseUrl;
  }
  recordAudit(em, ctx, {
    organizationId: null,
    action: 'catalogue.document.publish',
    targetType: 'ProductDocument',
    targetId: document.id,
    data: {
      productId: document.product.id,
      kind: document.kind,
      slug: document.slug,
      number: revision.number,
    },
  });
}

/** The endpoint rows of a published OpenAPI description, in its order. */
export function endpointRows(
  product: Ref<ApiProduct>,
  revision: Ref<DocumentRevision>,
  spec: ParsedOpenApi,
): ApiEndpoint[] {
  return spec.endpoints.map((endpoint, position) => {
    const row = new ApiEndpoint({
      product,
      revision,
      method: endpoint.method,
      path: endpoint.path,
      operationId: endpoint.operationId,
      position,
      details: endpoint.details,
    });
    row.summary = endpoint.summary;
    row.description = endpoint.description;
    row.tags = endpoint.tags;
    row.tagsText = endpoint.tags.join(' ');
    row.deprecated = endpoint.deprecated;
    return row;
  });
}

/** The product's settings row, made when missing, locked for the rest of the transaction. */
export async function catalogueSettingsForUpdate(
  em: EntityManager,
  productId: string,
): Promise<ProductCatalogue> {
  await em.execute(
    `insert into product_catalogue (id, created_at, product_id, docs_public, labs, updated_at)
     values (?, now(), ?, false, false, now()) on conflict (product_id) do nothing`,
    [newId('pct'), productId],
  );
  const settings = await em.findOne(
    ProductCatalogue,
    { product: productId },
    { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true },
  );
  if (!settings) throw notFound('Product', 'productId');
  return settings;
}

/** Staff publish a version of a document: the newest, or an older one to roll back. */
export async function publishProductDocument(
  ctx: Context,
  input: PublishProductDocumentInput,
): Promise<ProductDocument> {
  return ctx.em.transactional(async (em) => {
    const document = await em.findOne(
      ProductDocument,
      { id: input.documentId },
      { lockMode: LockMode.PESSIMISTIC_WRITE },
    );
    if (!document) throw notFound('Document', 'documentId');
    await findLiveProduct(em, document.product.id, 'documentId');
    const revision = input.revisionId
      ? await em.findOne(DocumentRevision, { id: input.revisionId, document: document.id })
      : await em.findOne(
          DocumentRevision,
          { document: document.id },
          { orderBy: { number: 'desc' } },
        );
    if (!revision) {
      throw input.revisionId
        ? notFound('Version', 'revisionId')
        : conflict('documentId', 'This document has no version to publish yet.');
    }
    await publishRevision(em, ctx, document, revision, null);
    return document;
  });
}

/** Staff delete a document with its versions (and, for the OpenAPI description, the endpoints). */
export async function deleteProductDocument(
  ctx: Context,
  input: DeleteProductDocumentInput,
): Promise<string> {
  return ctx.em.transactional(async (em) => {
    const document = await em.findOne(
      ProductDocument,
      { id: input.documentId },
      { lockMode: LockMode.PESSIMISTIC_WRITE },
    );
    if (!document) throw notFound('Document', 'documentId');
    if (document.kind === DocumentKind.OPENAPI) {
      await em.nativeDelete(ApiEndpoint, { product: document.product.id });
      const settings = await catalogueSettingsForUpdate(em, document.product.id);
      settings.apiBaseUrl = null;
    }
    recordAudit(em, ctx, {
      organizationId: null,
      action: 'catalogue.document.delete',
      targetType: 'ProductDocument',
      targetId: document.id,
      data: { productId: document.product.id, kind: document.kind, slug: document.slug },
    });
    document.publishedRevision = null;
    await em.flush();
    await em.nativeDelete(DocumentRevision, { document: document.id });
    em.remove(document);
    return document.id;
  });
}

/**
 * The product's documents the viewer may read: published ones; staff see drafts too. Only for a
 * product whose docs the viewer may read (the caller checked `canReadDocs`).
 */
export async function documentsOf(
  ctx: Context,
  product: ApiProduct,
  kinds: readonly DocumentKind[] | null,
): Promise<ProductDocument[]> {
  if (!(await canReadDocs(ctx, product))) return [];
  const documents = await catalogueLoaders(ctx).documentsByProduct.load(product.id);
  const staff = viewerIsStaff(ctx);
  return documents.filter(
    (document) =>
      (staff || document.publishedRevision !== null) && (!kinds || kinds.includes(document.kind)),
  );
}

export async function documentOf(
  ctx: Context,
  product: ApiProduct,
  slug: string,
): Promise<ProductDocument | null> {
  const documents = await documentsOf(ctx, product, null);
  return documents.find((document) => document.slug === slug) ?? null;
}

/** A document by id (for `node`), if the viewer may read it. */
export async function findDocument(ctx: Context, id: string): Promise<ProductDocument | null> {
  const document = await ctx.em.findOne(ProductDocument, { id });
  if (!document) return null;
  const product = await ctx.em.findOne(ApiProduct, { id: document.product.id });
  if (!product) return null;
  const visible = await documentsOf(ctx, product, null);
  return visible.some((item) => item.id === document.id) ? document : null;
}

export async function publishedRevisionOf(
  ctx: Context,
  document: ProductDocument,
): Promise<DocumentRevision | null> {
  if (!document.publishedRevision) return null;
  return catalogueLoaders(ctx).revisionById.load(document.publishedRevision.id);
}

/** The newest version when it is not the published one (staff only; null otherwise). */
export async function draftRevisionOf(
  ctx: Context,
  document: ProductDocument,
): Promise<DocumentRevision | null> {
  if (!viewerIsStaff(ctx)) return null;
  const latest = await catalogueLoaders(ctx).latestRevisionByDocument.load(document.id);
  if (!latest || latest.id === document.publishedRevision?.id) return null;
  return latest;
}

/** Every version, newest first (staff only; empty otherwise). */
export async function revisionsOf(
  ctx: Context,
  document: ProductDocument,
): Promise<DocumentRevision[]> {
  if (!viewerIsStaff(ctx)) return [];
  return catalogueLoaders(ctx).revisionsByDocument.load(document.id);
}

/** The title readers see: the published one; for staff, the newest. */
export async function titleOf(ctx: Context, document: ProductDocument): Promise<string> {
  const revision =
    (await draftRevisionOf(ctx, document)) ?? (await publishedRevisionOf(ctx, document));
  return revision?.title ?? document.slug;
}

/** Display name of a user (author or publisher of a version), for staff. */
export async function userNameOf(ctx: Context, userId: string | undefined): Promise<string | null> {
  if (!userId) return null;
  const user = await accountLoaders(ctx).userById.load(userId);
  return user ? user.name : null;
}
