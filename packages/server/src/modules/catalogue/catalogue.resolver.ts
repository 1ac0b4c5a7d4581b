import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Access } from '../../auth/access.js';
import type { Context } from '../../context.js';
import { accountLoaders } from '../accounts/accounts.loaders.js';
import { PermissionLevel } from '../apps/apps.entity.js';
import { ApiProduct } from '../products/products.entity.js';
import { productOf } from '../products/products.service.js';
import {
  findReadableProduct,
  listCatalogue,
  settingsOf,
  viewerIsStaff,
} from './catalogue.access.js';
import {
  changelogOf,
  createChangelogEntry,
  deprecationOf,
  productDocsPath,
  publishChangelogEntry,
  updateChangelogEntry,
} from './catalogue.changelog.js';
import {
  deleteProductDocument,
  documentOf,
  documentsOf,
  draftRevisionOf,
  GUIDE_KINDS,
  publishedRevisionOf,
  publishProductDocument,
  revisionsOf,
  saveProductDocument,
  titleOf,
  userNameOf,
} from './catalogue.documents.js';
import {
  baseUrlOf,
  codeSamplesOf,
  endpointDeprecationOf,
  endpointsOf,
  gatewayPathOf,
  parametersOf,
  requestBodyOf,
  requiredPermissionOf,
  responsesOf,
} from './catalogue.endpoints.js';
import {
  ApiEndpoint,
  ChangelogEntry,
  DocumentKind,
  DocumentRevision,
  FeedbackStatus,
  LabsFeedback,
  ProductDocument,
} from './catalogue.entity.js';
import { deprecationImpact, sendDeprecationNotice } from './catalogue.impact.js';
import {
  answerLabsFeedback,
  closeLabsFeedback,
  listLabsFeedback,
  listLabsProducts,
  sendLabsFeedback,
  updateProductCatalogue,
} from './catalogue.labs.js';
import { catalogueLoaders } from './catalogue.loaders.js';
import { renderMarkdown } from './catalogue.markdown.js';
import { createSandboxToken } from './catalogue.sandbox.js';
import { searchCatalogue } from './catalogue.search.js';
import {
  AnswerLabsFeedbackInput,
  CatalogueSearchHit,
  ChangelogEntryPayload,
  CloseLabsFeedbackInput,
  CodeSample,
  CreateChangelogEntryInput,
  CreateSandboxTokenInput,
  CreateSandboxTokenPayload,
  DeleteProductDocumentInput,
  DeleteProductDocumentPayload,
  DeprecationImpact,
  EndpointParameter,
  EndpointRequestBody,
  EndpointResponse,
  LabsFeedbackPayload,
  PublishChangelogEntryInput,
  PublishProductDocumentInput,
  PublishProductDocumentPayload,
  SaveProductDocumentInput,
  SaveProductDocumentPayload,
  SendDeprecationNoticeInput,
  SendDeprecationNoticePayload,
  SendLabsFeedbackInput,
  UpdateChangelogEntryInput,
  UpdateProductCatalogueInput,
  UpdateProductCataloguePayload,
} from './catalogue.types.js';

@Resolver()
export class CatalogueResolver {
  @Access('PUBLIC')
  @Query(() => [ApiProduct], {
    description:
      'Products whose documentation the caller may read, by name: every live product when signed in; without signing in, only those with public docs.',
  })
  async catalogue(@Ctx() ctx: Context): Promise<ApiProduct[]> {
    return listCatalogue(ctx);
  }

  @Access('PUBLIC')
  @Query(() => ApiProduct, {
    description:
      'A product by slug for its documentation pages; NOT_FOUND when the caller may not read its docs (not signed in and not public, or archived).',
  })
  async catalogueProduct(
    @Arg('slug', { description: "The product's slug." }) slug: string,
    @Ctx() ctx: Context,
  ): Promise<ApiProduct> {
    return findReadableProduct(ctx, { slug });
  }

  @Access('PUBLIC')
  @Query(() => [CatalogueSearchHit], {
    description:
      'Full-text search over published guides and endpoints of the products the caller may read (web search syntax: words, "phrases", -excluded, or).',
  })
  async searchCatalogue(
    @Arg('query', { description: 'What to look for (1 to 200 characters).' }) query: string,
    @Arg('productId', () => ID, {
      nullable: true,
      description: 'Only in this product; in every readable product when null.',
    })
    productId: string | null,
    @Arg('first', () => Int, { nullable: true, description: '1 to 50 (20).' }) first: number | null,
    @Ctx() ctx: Context,
  ): Promise<CatalogueSearchHit[]> {
    return searchCatalogue(ctx, query, productId ?? null, first ?? 20);
  }

  @Access('SIGNED_IN')
  @Query(() => [ApiProduct], {
    description: 'Labs products: experiments open to any approved developer, by name.',
  })
  async labsProducts(@Ctx() ctx: Context): Promise<ApiProduct[]> {
    return listLabsProducts(ctx);
  }

  @Access('SIGNED_IN')
  @Query(() => [LabsFeedback], {
    description: 'Labs feedback, newest first: staff read all of it, developers their own.',
  })
  async labsFeedback(
    @Arg('productId', () => ID, {
      nullable: true,
      description: 'Only feedback on this product; all when null.',
    })
    productId: string | null,
    @Arg('status', () => FeedbackStatus, {
      nullable: true,
      description: 'Only feedback in this status; all when null.',
    })
    status: FeedbackStatus | null,
    @Ctx() ctx: Context,
  ): Promise<LabsFeedback[]> {
    return listLabsFeedback(ctx, productId ?? null, status ?? null);
  }

  @Access('STAFF')
  @Query(() => DeprecationImpact, {
    description:
      'Staff: the apps and organizations that called the product in the last 30 days (UTC), with request counts and trend.',
  })
  async deprecationImpact(
    @Arg('productId', () => ID, { description: 'The product.' }) productId: string,
    @Ctx() ctx: Context,
  ): Promise<DeprecationImpact> {
    return deprecationImpact(ctx, productId);
  }

  @Access('STAFF')
  @Mutation(() => UpdateProductCataloguePayload, {
    description: 'Staff set whether docs are public and whether the product is a Labs product.',
  })
  async updateProductCatalogue(
    @Arg('input', { description: 'The product and its settings.' })
    input: UpdateProductCatalogueInput,
    @Ctx() ctx: Context,
  ): Promise<UpdateProductCataloguePayload> {
    return { product: await updateProductCatalogue(ctx, input) };
  }

  @Access('STAFF')
  @Mutation(() => SaveProductDocumentPayload, {
    description:
      'Staff save a new version of an overview, guide or OpenAPI description (BAD_USER_INPUT on source, with extensions.line and column, when the OpenAPI is not valid).',
  })
  async saveProductDocument(
    @Arg('input', { description: 'The document (or a new one) and the version to save.' })
    input: SaveProductDocumentInput,
    @Ctx() ctx: Context,
  ): Promise<SaveProductDocumentPayload> {
    return saveProductDocument(ctx, input);
  }

  @Access('STAFF')
  @Mutation(() => PublishProductDocumentPayload, {
    description: 'Staff publish a version of a document (an older version rolls back).',
  })
  async publishProductDocument(
    @Arg('input', { description: 'The document and version.' }) input: PublishProductDocumentInput,
    @Ctx() ctx: Context,
  ): Promise<PublishProductDocumentPayload> {
    return { document: await publishProductDocument(ctx, input) };
  }

  @Access('STAFF')
  @Mutation(() => DeleteProductDocumentPayload, {
    description: 'Staff delete a document and all its versions.',
  })
  async deleteProductDocument(
    @Arg('input', { description: 'The document.' }) input: DeleteProductDocumentInput,
    @Ctx() ctx: Context,
  ): Promise<DeleteProductDocumentPayload> {
    return { deletedDocumentId: await deleteProductDocument(ctx, input) };
  }

  @Access('STAFF')
  @Mutation(() => ChangelogEntryPayload, {
    description:
      'Staff write a changelog entry; when published, the owners of apps granted the product are told in-app and by email.',
  })
  async createChangelogEntry(
    @Arg('input', { description: 'The new entry.' }) input: CreateChangelogEntryInput,
    @Ctx() ctx: Context,
  ): Promise<ChangelogEntryPayload> {
    return createChangelogEntry(ctx, input);
  }

  @Access('STAFF')
  @Mutation(() => ChangelogEntryPayload, {
    description: "Staff change an entry's text or dates (no new notice).",
  })
  async updateChangelogEntry(
    @Arg('input', { description: 'The entry and the fields to change.' })
    input: UpdateChangelogEntryInput,
    @Ctx() ctx: Context,
  ): Promise<ChangelogEntryPayload> {
    return { entry: await updateChangelogEntry(ctx, input), notifiedOwners: 0 };
  }

  @Access('STAFF')
  @Mutation(() => ChangelogEntryPayload, {
    description:
      'Staff publish a draft entry: the owners of apps granted the product are told in-app and by email.',
  })
  async publishChangelogEntry(
    @Arg('input', { description: 'The draft entry.' }) input: PublishChangelogEntryInput,
    @Ctx() ctx: Context,
  ): Promise<ChangelogEntryPayload> {
    return publishChangelogEntry(ctx, input);
  }

  @Access('STAFF')
  @Mutation(() => SendDeprecationNoticePayload, {
    description:
      'Staff send a notice to the owners of exactly the apps that called the product in the last 30 days.',
  })
  async sendDeprecationNotice(
    @Arg('input', { description: 'The product and the notice.' }) input: SendDeprecationNoticeInput,
    @Ctx() ctx: Context,
  ): Promise<SendDeprecationNoticePayload> {
    return { notifiedOwners: await sendDeprecationNotice(ctx, input) };
  }

  @Access('SIGNED_IN')
  @Mutation(() => CreateSandboxTokenPayload, {
    description:
      "The docs' try-it console: a token for one of your apps granted the product, for that product only, for a few minutes. Shown once.",
  })
  async createSandboxToken(
    @Arg('input', { description: 'The app, product and lifetime.' }) input: CreateSandboxTokenInput,
    @Ctx() ctx: Context,
  ): Promise<CreateSandboxTokenPayload> {
    const minted = await createSandboxToken(ctx, input);
    return {
      token: minted.token,
      sandboxTokenId: minted.sandboxToken.id,
      expiresAt: minted.sandboxToken.expiresAt,
      permissionLevel: minted.sandboxToken.permissionLevel,
      app: minted.app,
      product: minted.product,
    };
  }

  @Access('SIGNED_IN')
  @Mutation(() => LabsFeedbackPayload, {
    description: 'A developer sends feedback (rating 1–5 and text) on a Labs product.',
  })
  async sendLabsFeedback(
    @Arg('input', { description: 'The product and the feedback.' }) input: SendLabsFeedbackInput,
    @Ctx() ctx: Context,
  ): Promise<LabsFeedbackPayload> {
    return { feedback: await sendLabsFeedback(ctx, input) };
  }

  @Access('STAFF')
  @Mutation(() => LabsFeedbackPayload, {
    description: 'Staff answer Labs feedback (the author is told), optionally closing it.',
  })
  async answerLabsFeedback(
    @Arg('input', { description: 'The feedback and the answer.' }) input: AnswerLabsFeedbackInput,
    @Ctx() ctx: Context,
  ): Promise<LabsFeedbackPayload> {
    return { feedback: await answerLabsFeedback(ctx, input) };
  }

  @Access('STAFF')
  @Mutation(() => LabsFeedbackPayload, { description: 'Staff close Labs feedback.' })
  async closeLabsFeedback(
    @Arg('input', { description: 'The feedback.' }) input: CloseLabsFeedbackInput,
    @Ctx() ctx: Context,
  ): Promise<LabsFeedbackPayload> {
    return { feedback: await closeLabsFeedback(ctx, input) };
  }
}

@Resolver(() => ApiProduct)
export class ProductCatalogueResolver {
  @FieldResolver(() => Boolean, { description: 'Documentation readable without signing in.' })
  async docsPublic(@Root() product: ApiProduct, @Ctx() ctx: Context): Promise<boolean> {
    return (await settingsOf(ctx, product.id))?.docsPublic ?? false;
  }

  @FieldResolver(() => Boolean, {
    description: 'A Labs product: an experiment open to any approved developer.',
  })
  async labs(@Root() product: ApiProduct, @Ctx() ctx: Context): Promise<boolean> {
    return (await settingsOf(ctx, product.id))?.labs ?? false;
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: 'The base URL of the API (first `servers` entry of the published OpenAPI).',
  })
  async apiBaseUrl(@Root() product: ApiProduct, @Ctx() ctx: Context): Promise<string | null> {
    return baseUrlOf(ctx, product.id);
  }

  @FieldResolver(() => ProductDocument, { nullable: true, description: 'The overview.' })
  async overview(
    @Root() product: ApiProduct,
    @Ctx() ctx: Context,
  ): Promise<ProductDocument | null> {
    return (await documentsOf(ctx, product, [DocumentKind.OVERVIEW]))[0] ?? null;
  }

  @FieldResolver(() => [ProductDocument], {
    description:
      'Guides (quick start, migration guides, others) by position; staff also see unpublished ones.',
  })
  async guides(@Root() product: ApiProduct, @Ctx() ctx: Context): Promise<ProductDocument[]> {
    return documentsOf(ctx, product, GUIDE_KINDS);
  }

  @FieldResolver(() => ProductDocument, {
    nullable: true,
    description: 'The OpenAPI description as a document (its source is the YAML or JSON).',
  })
  async openApi(@Root() product: ApiProduct, @Ctx() ctx: Context): Promise<ProductDocument | null> {
    return (await documentsOf(ctx, product, [DocumentKind.OPENAPI]))[0] ?? null;
  }

  @FieldResolver(() => [ProductDocument], {
    description: 'Every document the caller may read (published ones; staff also see drafts).',
  })
  async documents(@Root() product: ApiProduct, @Ctx() ctx: Context): Promise<ProductDocument[]> {
    return documentsOf(ctx, product, null);
  }

  @FieldResolver(() => ProductDocument, { nullable: true, description: 'A document by slug.' })
  async document(
    @Root() product: ApiProduct,
    @Arg('slug', { description: "The document's slug, e.g. `overview` or `getting-started`." })
    slug: string,
    @Ctx() ctx: Context,
  ): Promise<ProductDocument | null> {
    return documentOf(ctx, product, slug);
  }

  @FieldResolver(() => [ApiEndpoint], {
    description: 'Operations of the published OpenAPI description, in its order.',
  })
  async endpoints(@Root() product: ApiProduct, @Ctx() ctx: Context): Promise<ApiEndpoint[]> {
    return endpointsOf(ctx, product);
  }

  @FieldResolver(() => [ChangelogEntry], {
    description: 'Changelog, newest first; staff also see drafts (first).',
  })
  async changelog(@Root() product: ApiProduct, @Ctx() ctx: Context): Promise<ChangelogEntry[]> {
    return changelogOf(ctx, product);
  }

  @FieldResolver(() => ChangelogEntry, {
    nullable: true,
    description: 'The published deprecation of the whole product, if any.',
  })
  async deprecation(
    @Root() product: ApiProduct,
    @Ctx() ctx: Context,
  ): Promise<ChangelogEntry | null> {
    return deprecationOf(ctx, product);
  }

  @FieldResolver(() => String, {
    description: 'Path of the Atom feed of the changelog (`.rss` beside it for RSS 2.0).',
  })
  changelogFeedPath(@Root() product: ApiProduct): string {
    return `/feeds/products/${product.slug}/changelog.atom`;
  }

  @FieldResolver(() => String, { description: 'Path of the product in the web app.' })
  docsPath(@Root() product: ApiProduct): string {
    return productDocsPath(product);
  }
}

@Resolver(() => ProductDocument)
export class ProductDocumentResolver {
  @FieldResolver(() => String, {
    description: 'The published title; for staff, the newest version’s.',
  })
  async title(@Root() document: ProductDocument, @Ctx() ctx: Context): Promise<string> {
    return titleOf(ctx, document);
  }

  @FieldResolver(() => DocumentRevision, {
    nullable: true,
    description: 'The version readers see; null until one is published.',
  })
  async published(
    @Root() document: ProductDocument,
    @Ctx() ctx: Context,
  ): Promise<DocumentRevision | null> {
    return publishedRevisionOf(ctx, document);
  }

  @FieldResolver(() => DocumentRevision, {
    nullable: true,
    description: 'Staff: the newest version when it is not published yet.',
  })
  async draft(
    @Root() document: ProductDocument,
    @Ctx() ctx: Context,
  ): Promise<DocumentRevision | null> {
    return draftRevisionOf(ctx, document);
  }

  @FieldResolver(() => [DocumentRevision], {
    description: 'Staff: every version, newest first (empty for others).',
  })
  async revisions(
    @Root() document: ProductDocument,
    @Ctx() ctx: Context,
  ): Promise<DocumentRevision[]> {
    return revisionsOf(ctx, document);
  }

  @FieldResolver(() => ApiProduct, { description: 'The product the document belongs to.' })
  async product(@Root() document: ProductDocument, @Ctx() ctx: Context): Promise<ApiProduct> {
    return productOf(ctx, document.product);
  }
}

@Resolver(() => DocumentRevision)
export class DocumentRevisionResolver {
  @FieldResolver(() => String, {
    description:
      'The Markdown rendered to sanitized HTML (no script, no event handler; links get rel="noopener noreferrer"); empty for an OpenAPI description.',
  })
  async html(@Root() revision: DocumentRevision, @Ctx() ctx: Context): Promise<string> {
    const document = await catalogueLoaders(ctx).documentById.load(revision.document.id);
    return document?.kind === DocumentKind.OPENAPI ? '' : renderMarkdown(revision.source);
  }

  @FieldResolver(() => Boolean, { description: 'This is the version readers see.' })
  async isPublished(@Root() revision: DocumentRevision, @Ctx() ctx: Context): Promise<boolean> {
    const document = await catalogueLoaders(ctx).documentById.load(revision.document.id);
    return document?.publishedRevision?.id === revision.id;
  }

  @FieldResolver(() => String, { nullable: true, description: 'Staff: who saved this version.' })
  async authorName(
    @Root() revision: DocumentRevision,
    @Ctx() ctx: Context,
  ): Promise<string | null> {
    return viewerIsStaff(ctx) ? userNameOf(ctx, revision.author?.id) : null;
  }

  @FieldResolver(() => String, { nullable: true, description: 'Staff: who published it.' })
  async publishedByName(
    @Root() revision: DocumentRevision,
    @Ctx() ctx: Context,
  ): Promise<string | null> {
    return viewerIsStaff(ctx) ? userNameOf(ctx, revision.publishedBy?.id) : null;
  }
}

@Resolver(() => ApiEndpoint)
export class ApiEndpointResolver {
  @FieldResolver(() => String, { description: 'The description rendered to sanitized HTML.' })
  descriptionHtml(@Root() endpoint: ApiEndpoint): string {
    return renderMarkdown(endpoint.description);
  }

  @FieldResolver(() => String, {
    description: 'The path the gateway sees (the server URL’s path, then the operation’s).',
  })
  async gatewayPath(@Root() endpoint: ApiEndpoint, @Ctx() ctx: Context): Promise<string> {
    return gatewayPathOf(await baseUrlOf(ctx, endpoint.product.id), endpoint.path);
  }

  @FieldResolver(() => PermissionLevel, {
    description:
      "The app permission level a call needs: the gateway's rule (reads READ, writes READ_WRITE, DM paths READ_WRITE_DM).",
  })
  async requiredPermission(
    @Root() endpoint: ApiEndpoint,
    @Ctx() ctx: Context,
  ): Promise<PermissionLevel> {
    return requiredPermissionOf(ctx, endpoint);
  }

  @FieldResolver(() => [EndpointParameter], {
    description: 'Its parameters (path, query, header, cookie), as in the OpenAPI description.',
  })
  parameters(@Root() endpoint: ApiEndpoint): EndpointParameter[] {
    return parametersOf(endpoint);
  }

  @FieldResolver(() => EndpointRequestBody, {
    nullable: true,
    description: 'The request body it takes; null when it takes none.',
  })
  requestBody(@Root() endpoint: ApiEndpoint): EndpointRequestBody | null {
    return requestBodyOf(endpoint);
  }

  @FieldResolver(() => [EndpointResponse], {
    description: 'The responses it may give, as in the OpenAPI description.',
  })
  responses(@Root() endpoint: ApiEndpoint): EndpointResponse[] {
    return responsesOf(endpoint);
  }

  @FieldResolver(() => [CodeSample], {
    description: 'curl, JavaScript (fetch) and Python (requests); the credential is a placeholder.',
  })
  async codeSamples(@Root() endpoint: ApiEndpoint, @Ctx() ctx: Context): Promise<CodeSample[]> {
    return codeSamplesOf(ctx, endpoint);
  }

  @FieldResolver(() => ChangelogEntry, {
    nullable: true,
    description: 'The published deprecation of this endpoint, or of its whole product.',
  })
  async deprecation(
    @Root() endpoint: ApiEndpoint,
    @Ctx() ctx: Context,
  ): Promise<ChangelogEntry | null> {
    return endpointDeprecationOf(ctx, endpoint);
  }

  @FieldResolver(() => ApiProduct, { description: 'The product the endpoint belongs to.' })
  async product(@Root() endpoint: ApiEndpoint, @Ctx() ctx: Context): Promise<ApiProduct> {
    return productOf(ctx, endpoint.product);
  }
}

@Resolver(() => ChangelogEntry)
export class ChangelogEntryResolver {
  @FieldResolver(() => String, { description: 'The body rendered to sanitized HTML.' })
  bodyHtml(@Root() entry: ChangelogEntry): string {
    return renderMarkdown(entry.body);
  }

  @FieldResolver(() => ApiProduct, { description: 'The product the entry is about.' })
  async product(@Root() entry: ChangelogEntry, @Ctx() ctx: Context): Promise<ApiProduct> {
    return productOf(ctx, entry.product);
  }
}

@Resolver(() => LabsFeedback)
export class LabsFeedbackResolver {
  @FieldResolver(() => ApiProduct, { description: 'The Labs product the feedback is about.' })
  async product(@Root() feedback: LabsFeedback, @Ctx() ctx: Context): Promise<ApiProduct> {
    return productOf(ctx, feedback.product);
  }

  @FieldResolver(() => String, { nullable: true, description: 'Who sent it.' })
  async authorName(@Root() feedback: LabsFeedback, @Ctx() ctx: Context): Promise<string | null> {
    return userNameOf(ctx, feedback.author.id);
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: 'Staff: the author’s email, to follow up.',
  })
  async authorEmail(@Root() feedback: LabsFeedback, @Ctx() ctx: Context): Promise<string | null> {
    if (!viewerIsStaff(ctx)) return null;
    return (await accountLoaders(ctx).userById.load(feedback.author.id))?.email ?? null;
  }
}
