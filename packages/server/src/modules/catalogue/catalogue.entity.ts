import {
  Entity,
  Enum,
  Index,
  ManyToOne,
  OneToOne,
  Property,
  Unique,
  type Ref,
} from '@mikro-orm/core';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { BaseEntity } from '../../db/base.entity.js';
import { Node } from '../../graphql/node.types.js';
import { User } from '../accounts/accounts.entity.js';
import { App, PermissionLevel } from '../apps/apps.entity.js';
import { Organization } from '../orgs/orgs.entity.js';
import { ApiProduct } from '../products/products.entity.js';

export enum DocumentKind {
  OVERVIEW = 'OVERVIEW',
  QUICK_START = 'QUICK_START',
  MIGRATION_GUIDE = 'MIGRATION_GUIDE',
  GUIDE = 'GUIDE',
  OPENAPI = 'OPENAPI',
}
registerEnumType(DocumentKind, {
  name: 'DocumentKind',
  description:
    'OVERVIEW: the product overview (one per product); QUICK_START, MIGRATION_GUIDE, GUIDE: Markdown guides; OPENAPI: the OpenAPI 3 description (one per product), YAML or JSON.',
  valuesConfig: {
    OVERVIEW: { description: 'The product overview, in Markdown (one per product).' },
    QUICK_START: { description: 'A quick-start guide, in Markdown.' },
    MIGRATION_GUIDE: { description: 'A guide to moving between versions, in Markdown.' },
    GUIDE: { description: 'Any other guide, in Markdown.' },
    OPENAPI: { description: 'The OpenAPI 3 description, YAML or JSON (one per product).' },
  },
});

export enum ChangelogKind {
  NEW = 'NEW',
  CHANGED = 'CHANGED',
  DEPRECATED = 'DEPRECATED',
  REMOVED = 'REMOVED',
}
registerEnumType(ChangelogKind, {
  name: 'ChangelogKind',
  description: 'What a changelog entry announces.',
  valuesConfig: {
    NEW: { description: 'Something new: a product or an endpoint.' },
    CHANGED: { description: 'A change in behaviour.' },
    DEPRECATED: { description: 'A deprecation, with when it stops working (`sunsetAt`).' },
    REMOVED: { description: 'A removal: it no longer works.' },
  },
});

export enum FeedbackStatus {
  OPEN = 'OPEN',
  ANSWERED = 'ANSWERED',
  CLOSED = 'CLOSED',
}
registerEnumType(FeedbackStatus, {
  name: 'FeedbackStatus',
  description: 'OPEN: waiting for staff; ANSWERED: staff replied; CLOSED: done.',
  valuesConfig: {
    OPEN: { description: 'Waits for staff.' },
    ANSWERED: { description: 'Staff replied; the author was told.' },
    CLOSED: { description: 'Done: nothing more is expected.' },
  },
});

/** What the catalogue adds to a product: who may read its docs, and whether it is a Labs product. */
@Entity()
export class ProductCatalogue extends BaseEntity {
  @OneToOne(() => ApiProduct, { ref: true, owner: true, unique: true, deleteRule: 'cascade' })
  product: Ref<ApiProduct>;

  /** Documentation readable without signing in. */
  @Property({ type: 'boolean' })
  docsPublic: boolean = false;

  /** An experimental product open to any approved developer, collecting feedback. */
  @Property({ type: 'boolean' })
  labs: boolean = false;

  /** The first `servers` URL of the published OpenAPI description. */
  @Property({ type: 'text', nullable: true })
  apiBaseUrl: string | null = null;

  @Property({ type: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Date = new Date();

  constructor(product: Ref<ApiProduct>) {
    super('pct');
    this.product = product;
  }
}

/** Full-text search expression of a revision (title weighs more than the body). */
export const REVISION_SEARCH_SQL = `setweight(to_tsvector('english'::regconfig, "title"), 'A') || setweight(to_tsvector('english'::regconfig, "source"), 'B')`;

/** Full-text search expression of an endpoint. */
export const ENDPOINT_SEARCH_SQL = `setweight(to_tsvector('english'::regconfig, "summary" || ' ' || "operation_id" || ' ' || "path"), 'A') || setweight(to_tsvector('english'::regconfig, "description" || ' ' || "tags_text"), 'B')`;

/** A piece of a product's documentation: the overview, a guide, or the OpenAPI description. */
@ObjectType({
  implements: Node,
  description:
    'A piece of product documentation (overview, guide or OpenAPI description) with its versions.',
})
@Entity()
@Unique({ properties: ['product', 'slug'] })
export class ProductDocument extends BaseEntity {
  @ManyToOne(() => ApiProduct, { ref: true, deleteRule: 'cascade' })
  product: Ref<ApiProduct>;

  @Field(() => DocumentKind, { description: 'What kind of document it is.' })
  @Enum({ items: () => DocumentKind, nativeEnumName: 'document_kind' })
  kind: DocumentKind;

  @Field({ description: 'Unique within the product; `overview` and `openapi` for those kinds.' })
  @Property({ type: 'text' })
  slug: string;

  @Field(() => Int, { description: 'Guides are listed by position, then title.' })
  @Property({ type: 'integer' })
  position: number = 0;

  /** The revision readers see; null until one is published. */
  @ManyToOne(() => DocumentRevision, { ref: true, nullable: true, deleteRule: 'set null' })
  publishedRevision: Ref<DocumentRevision> | null = null;

  /** Number of the newest revision. */
  @Property({ type: 'integer' })
  latestNumber: number = 0;

  @Field({ description: 'When a version was last saved or published.' })
  @Property({ type: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Date = new Date();

  constructor(product: Ref<ApiProduct>, kind: DocumentKind, slug: string) {
    super('doc');
    this.product = product;
    this.kind = kind;
    this.slug = slug;
  }
}

/** One saved version of a document: Markdown (or the OpenAPI text) as written, never changed. */
@ObjectType({ implements: Node, description: 'One saved version of a document.' })
@Entity()
@Unique({ properties: ['document', 'number'] })
@Index({
  name: 'document_revision_search_index',
  expression: `create index "document_revision_search_index" on "document_revision" using gin ((${REVISION_SEARCH_SQL}))`,
})
export class DocumentRevision extends BaseEntity {
  @ManyToOne(() => ProductDocument, { ref: true, deleteRule: 'cascade' })
  document: Ref<ProductDocument>;

  @Field(() => Int, { description: '1 for the first version, then 2, 3 …' })
  @Property({ type: 'integer' })
  number: number;

  @Field({ description: "The document's title in this version (1 to 200 characters)." })
  @Property({ type: 'text' })
  title: string;

  @Field({ description: 'Markdown as written (for OPENAPI, the YAML or JSON text).' })
  @Property({ type: 'text' })
  source: string;

  @Field({ description: 'What changed, in the words of whoever saved it.' })
  @Property({ type: 'text' })
  note: string = '';

  @ManyToOne(() => User, { ref: true, nullable: true, deleteRule: 'set null' })
  author: Ref<User> | null;

  @Field(() => Date, { nullable: true, description: 'When this version was (first) published.' })
  @Property({ type: 'timestamptz', nullable: true })
  publishedAt: Date | null = null;

  @ManyToOne(() => User, { ref: true, nullable: true, deleteRule: 'set null' })
  publishedBy: Ref<User> | null = null;

  constructor(fields: {
    document: Ref<ProductDocument>;
    number: number;
    title: string;
    source: string;
    note: string;
    author: Ref<User> | null;
  }) {
    super('rev');
    this.document = fields.document;
    this.number = fields.number;
    this.title = fields.title;
    this.source = fields.source;
    this.note = fields.note;
    this.author = fields.author;
  }
}

/** What an endpoint's page shows, read from the published OpenAPI description. */
export interface EndpointDetails {
  parameters: {
    name: string;
    in: string;
    required: boolean;
    description: string;
    schema: Record<string, unknown> | null;
    example: unknown;
  }[];
  requestBody: {
    required: boolean;
    description: string;
    contentType: string;
    schema: Record<string, unknown> | null;
    example: unknown;
  } | null;
  responses: {
    status: string;
    description: string;
    contentType: string | null;
    schema: Record<string, unknown> | null;
    example: unknown;
  }[];
}

/** An operation of the product's published OpenAPI description (replaced on each publish). */
@ObjectType({ implements: Node, description: 'An operation of a product, from its OpenAPI.' })
@Entity()
@Index({ properties: ['product', 'position'] })
@Index({
  name: 'api_endpoint_search_index',
  expression: `create index "api_endpoint_search_index" on "api_endpoint" using gin ((${ENDPOINT_SEARCH_SQL}))`,
})
export class ApiEndpoint extends BaseEntity {
  @ManyToOne(() => ApiProduct, { ref: true, deleteRule: 'cascade' })
  product: Ref<ApiProduct>;

  @ManyToOne(() => DocumentRevision, { ref: true, deleteRule: 'cascade' })
  revision: Ref<DocumentRevision>;

  @Field({ description: 'GET, POST, PUT, PATCH, DELETE, HEAD or OPTIONS.' })
  @Property({ type: 'text' })
  method: string;

  @Field({ description: 'The path as in the OpenAPI description, e.g. `/v2/tweets/{id}`.' })
  @Property({ type: 'text' })
  path: string;

  @Field({ description: 'The operationId, or a key made from the method and path.' })
  @Property({ type: 'text' })
  operationId: string;

  @Field({ description: 'A one-line summary, from the OpenAPI description; may be empty.' })
  @Property({ type: 'text' })
  summary: string = '';

  @Field({ description: 'Markdown, as in the OpenAPI description.' })
  @Property({ type: 'text' })
  description: string = '';

  @Field(() => [String], { description: 'The OpenAPI tags of the operation.' })
  @Property({ type: 'text[]' })
  tags: string[] = [];

  /** The tags as one text, for search. */
  @Property({ type: 'text' })
  tagsText: string = '';

  @Field({ description: 'Marked deprecated in the OpenAPI description.' })
  @Property({ type: 'boolean' })
  deprecated: boolean = false;

  @Property({ type: 'integer' })
  position: number;

  @Property({ type: 'jsonb' })
  details: EndpointDetails;

  constructor(fields: {
    product: Ref<ApiProduct>;
    revision: Ref<DocumentRevision>;
    method: string;
    path: string;
    operationId: string;
    position: number;
    details: EndpointDetails;
  }) {
    super('ept');
    this.product = fields.product;
    this.revision = fields.revision;
    this.method = fields.method;
    this.path = fields.path;
    this.operationId = fields.operationId;
    this.position = fields.position;
    this.details = fields.details;
  }
}

/** A change of a product or one of its endpoints, told to the owners of apps using it. */
@ObjectType({
  implements: Node,
  description: 'A changelog entry of a product: new, changed, deprecated or removed.',
})
@Entity()
@Index({ properties: ['product', 'publishedAt'] })
@Index({
  name: 'changelog_entry_sunset_notice_index',
  expression:
    'create index "changelog_entry_sunset_notice_index" on "changelog_entry" ("sunset_at") where "published_at" is not null and "sunset_notice_sent_at" is null and "sunset_at" is not null',
})
export class ChangelogEntry extends BaseEntity {
  @ManyToOne(() => ApiProduct, { ref: true, deleteRule: 'cascade' })
  product: Ref<ApiProduct>;

  @Field(() => ChangelogKind, { description: 'What the entry announces.' })
  @Enum({ items: () => ChangelogKind, nativeEnumName: 'changelog_kind' })
  kind: ChangelogKind;

  @Field({ description: 'A one-line title (1 to 200 characters).' })
  @Property({ type: 'text' })
  title: string;

  @Field({ description: 'Markdown as written.' })
  @Property({ type: 'text' })
  body: string = '';

  @Field(() => String, {
    nullable: true,
    description: 'The endpoint concerned (method); null when the whole product is.',
  })
  @Property({ type: 'text', nullable: true })
  endpointMethod: string | null = null;

  @Field(() => String, {
    nullable: true,
    description: 'The endpoint concerned (OpenAPI path); null when the whole product is.',
  })
  @Property({ type: 'text', nullable: true })
  endpointPath: string | null = null;

  @Field(() => Date, {
    nullable: true,
    description: 'DEPRECATED: from when it is deprecated (the `Deprecation` header).',
  })
  @Property({ type: 'timestamptz', nullable: true })
  deprecationAt: Date | null = null;

  @Field(() => Date, {
    nullable: true,
    description: 'DEPRECATED: when it stops working (the `Sunset` header).',
  })
  @Property({ type: 'timestamptz', nullable: true })
  sunsetAt: Date | null = null;

  @Field(() => Date, { nullable: true, description: 'Null while a draft (staff only).' })
  @Property({ type: 'timestamptz', nullable: true })
  publishedAt: Date | null = null;

  @ManyToOne(() => User, { ref: true, nullable: true, deleteRule: 'set null' })
  author: Ref<User> | null;

  /** When the owners were told that the sunset is near (at most once). */
  @Property({ type: 'timestamptz', nullable: true })
  sunsetNoticeSentAt: Date | null = null;

  @Property({ type: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Date = new Date();

  constructor(fields: {
    product: Ref<ApiProduct>;
    kind: ChangelogKind;
    title: string;
    author: Ref<User> | null;
  }) {
    super('chg');
    this.product = fields.product;
    this.kind = fields.kind;
    this.title = fields.title;
    this.author = fields.author;
  }
}

/**
 * A short-lived token for the documentation's try-it console: one app, one product, a few
 * minutes. Only its SHA-256 and last four characters are stored, like any credential.
 */
@Entity()
@Index({ properties: ['app', 'createdAt'] })
export class SandboxToken extends BaseEntity {
  @ManyToOne(() => App, { ref: true, deleteRule: 'cascade' })
  app: Ref<App>;

  @ManyToOne(() => Organization, { ref: true, deleteRule: 'cascade' })
  organization: Ref<Organization>;

  @ManyToOne(() => ApiProduct, { ref: true, deleteRule: 'cascade' })
  product: Ref<ApiProduct>;

  @Property({ type: 'text', unique: true, hidden: true })
  secretHash: string;

  @Property({ type: 'text' })
  lastFour: string;

  /** At most the app's level. */
  @Enum({ items: () => PermissionLevel, nativeEnumName: 'permission_level' })
  permissionLevel: PermissionLevel;

  @Property({ type: 'timestamptz' })
  expiresAt: Date;

  @ManyToOne(() => User, { ref: true, nullable: true, deleteRule: 'set null' })
  createdBy: Ref<User> | null;

  constructor(fields: {
    app: Ref<App>;
    organization: Ref<Organization>;
    product: Ref<ApiProduct>;
    secretHash: string;
    lastFour: string;
    permissionLevel: PermissionLevel;
    expiresAt: Date;
    createdBy: Ref<User> | null;
  }) {
    super('sbx');
    this.app = fields.app;
    this.organization = fields.organization;
    this.product = fields.product;
    this.secretHash = fields.secretHash;
    this.lastFour = fields.lastFour;
    this.permissionLevel = fields.permissionLevel;
    this.expiresAt = fields.expiresAt;
    this.createdBy = fields.createdBy;
  }
}

/** A developer's feedback on a Labs product, which staff answer and close. */
@ObjectType({ implements: Node, description: "A developer's feedback on a Labs product." })
@Entity()
@Index({ properties: ['product', 'createdAt'] })
@Index({ properties: ['author', 'createdAt'] })
export class LabsFeedback extends BaseEntity {
  @ManyToOne(() => ApiProduct, { ref: true, deleteRule: 'cascade' })
  product: Ref<ApiProduct>;

  @ManyToOne(() => User, { ref: true, deleteRule: 'cascade' })
  author: Ref<User>;

  @Field(() => Int, { description: '1 (poor) to 5 (excellent).' })
  @Property({ type: 'smallint' })
  rating: number;

  @Field({ description: 'The feedback (1 to 5,000 characters).' })
  @Property({ type: 'text' })
  text: string;

  @Field(() => String, { nullable: true, description: 'The endpoint it is about (method).' })
  @Property({ type: 'text', nullable: true })
  endpointMethod: string | null = null;

  @Field(() => String, { nullable: true, description: 'The endpoint it is about (path).' })
  @Property({ type: 'text', nullable: true })
  endpointPath: string | null = null;

  @Field(() => FeedbackStatus, { description: 'Where the feedback stands.' })
  @Enum({ items: () => FeedbackStatus, nativeEnumName: 'feedback_status' })
  status: FeedbackStatus = FeedbackStatus.OPEN;

  @Field(() => String, { nullable: true, description: "Staff's answer." })
  @Property({ type: 'text', nullable: true })
  answer: string | null = null;

  @ManyToOne(() => User, { ref: true, nullable: true, deleteRule: 'set null' })
  answeredBy: Ref<User> | null = null;

  @Field(() => Date, { nullable: true, description: 'When staff answered; null until then.' })
  @Property({ type: 'timestamptz', nullable: true })
  answeredAt: Date | null = null;

  @Field(() => Date, { nullable: true, description: 'When it was closed; null while open.' })
  @Property({ type: 'timestamptz', nullable: true })
  closedAt: Date | null = null;

  constructor(fields: {
    product: Ref<ApiProduct>;
    author: Ref<User>;
    rating: number;
    text: string;
  }) {
    super('fbk');
    this.product = fields.product;
    this.author = fields.author;
    this.rating = fields.rating;
    this.text = fields.text;
  }
}
