import { GraphQLJSONObject } from 'graphql-scalars';
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { App, PermissionLevel } from '../apps/apps.entity.js';
import { Organization } from '../orgs/orgs.entity.js';
import { ApiProduct, ApprovalMode } from '../products/products.entity.js';
import {
  ApiEndpoint,
  ChangelogEntry,
  ChangelogKind,
  DocumentKind,
  DocumentRevision,
  LabsFeedback,
  ProductDocument,
} from './catalogue.entity.js';
import { CodeSampleLanguage } from './catalogue.samples.js';

registerEnumType(CodeSampleLanguage, { name: 'CodeSampleLanguage' });

export enum CatalogueSearchHitKind {
  GUIDE = 'GUIDE',
  ENDPOINT = 'ENDPOINT',
}
registerEnumType(CatalogueSearchHitKind, { name: 'CatalogueSearchHitKind' });

@ObjectType({ description: 'A request parameter of an endpoint.' })
export class EndpointParameter {
  @Field()
  name!: string;

  @Field({ description: 'path, query, header or cookie.' })
  in!: string;

  @Field()
  required!: boolean;

  @Field()
  description!: string;

  @Field(() => GraphQLJSONObject, { nullable: true, description: 'JSON Schema.' })
  schema!: Record<string, unknown> | null;

  @Field(() => String, { nullable: true, description: 'An example value, as JSON text.' })
  example!: string | null;
}

@ObjectType({ description: 'The request body an endpoint takes.' })
export class EndpointRequestBody {
  @Field()
  required!: boolean;

  @Field()
  description!: string;

  @Field()
  contentType!: string;

  @Field(() => GraphQLJSONObject, { nullable: true, description: 'JSON Schema.' })
  schema!: Record<string, unknown> | null;

  @Field(() => String, { nullable: true, description: 'An example body, as JSON text.' })
  example!: string | null;
}

@ObjectType({ description: 'A response an endpoint may give.' })
export class EndpointResponse {
  @Field({ description: 'HTTP status (`200`, `4XX`) or `default`.' })
  status!: string;

  @Field()
  description!: string;

  @Field(() => String, { nullable: true })
  contentType!: string | null;

  @Field(() => GraphQLJSONObject, { nullable: true, description: 'JSON Schema.' })
  schema!: Record<string, unknown> | null;

  @Field(() => String, { nullable: true, description: 'An example body, as JSON text.' })
  example!: string | null;
}

@ObjectType({ description: 'A ready-to-run request; the credential is a placeholder.' })
export class CodeSample {
  @Field(() => CodeSampleLanguage)
  language!: CodeSampleLanguage;

  @Field()
  label!: string;

  @Field()
  code!: string;

  @Field({ description: 'The text standing for the credential in `code` (never a secret).' })
  tokenPlaceholder!: string;
}

@ObjectType({ description: 'A guide or endpoint that matches a catalogue search.' })
export class CatalogueSearchHit {
  @Field(() => CatalogueSearchHitKind)
  kind!: CatalogueSearchHitKind;

  @Field(() => ApiProduct)
  product!: ApiProduct;

  @Field(() => ProductDocument, { nullable: true, description: 'For a GUIDE hit.' })
  document!: ProductDocument | null;

  @Field(() => ApiEndpoint, { nullable: true, description: 'For an ENDPOINT hit.' })
  endpoint!: ApiEndpoint | null;

  @Field()
  title!: string;

  @Field({ description: 'Plain text around the match (no markup).' })
  snippet!: string;

  @Field({ description: 'Higher is a better match.' })
  rank!: number;
}

@ObjectType({ description: 'One app that called a product, with its recent traffic.' })
export class DeprecationImpactApp {
  @Field(() => App)
  app!: App;

  @Field(() => Organization)
  organization!: Organization;

  @Field({ description: 'Email of the app owner.' })
  ownerEmail!: string;

  @Field({ description: 'Requests in the window (30 days).' })
  requests!: number;

  @Field({ description: 'Requests in the last 7 days.' })
  lastWeekRequests!: number;

  @Field({ description: 'Requests in the 7 days before those.' })
  previousWeekRequests!: number;

  @Field(() => [Number], { description: 'Requests per UTC day, oldest first (30 values).' })
  daily!: number[];

  @Field(() => Date, { nullable: true })
  lastCalledAt!: Date | null;
}

@ObjectType({ description: 'Who still calls a product: apps and organizations, last 30 days.' })
export class DeprecationImpact {
  @Field(() => ApiProduct)
  product!: ApiProduct;

  @Field()
  since!: Date;

  @Field()
  totalRequests!: number;

  @Field(() => Int)
  organizationCount!: number;

  @Field(() => [DeprecationImpactApp], { description: 'Most requests first.' })
  apps!: DeprecationImpactApp[];
}

@InputType()
export class UpdateProductCatalogueInput {
  @Field(() => ID)
  productId!: string;

  @Field(() => Boolean, { nullable: true, description: 'Docs readable without signing in.' })
  docsPublic?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: 'Mark (or unmark) as a Labs product.' })
  labs?: boolean | null;

  @Field(() => ApprovalMode, {
    nullable: true,
    description:
      'When marking as Labs: how requests are approved (AUTO when left out). Ignored otherwise.',
  })
  labsApprovalMode?: ApprovalMode | null;
}

@ObjectType()
export class UpdateProductCataloguePayload {
  @Field(() => ApiProduct)
  product!: ApiProduct;
}

@InputType({ description: 'Saves a new version of a document (creating the document if needed).' })
export class SaveProductDocumentInput {
  @Field(() => ID, { nullable: true, description: 'An existing document; productId otherwise.' })
  documentId?: string | null;

  @Field(() => ID, { nullable: true, description: 'For a new document.' })
  productId?: string | null;

  @Field(() => DocumentKind, {
    nullable: true,
    description:
      'For a new document. OVERVIEW and OPENAPI are one per product: saving adds a version to it.',
  })
  kind?: DocumentKind | null;

  @Field(() => String, {
    nullable: true,
    description: 'For a new guide: a-z, 0-9 and `-` (made from the title when left out).',
  })
  slug?: string | null;

  @Field({ description: '1 to 200 characters.' })
  title!: string;

  @Field({
    description:
      'Markdown (at most 200,000 characters), or for OPENAPI the YAML or JSON text (at most 1,000,000), validated: a problem names its line.',
  })
  source!: string;

  @Field(() => String, { nullable: true, description: 'What changed (at most 500 characters).' })
  note?: string | null;

  @Field(() => Int, { nullable: true, description: 'Order among guides.' })
  position?: number | null;

  @Field(() => Boolean, { nullable: true, description: 'Publish this version at once.' })
  publish?: boolean | null;
}

@ObjectType()
export class SaveProductDocumentPayload {
  @Field(() => ProductDocument)
  document!: ProductDocument;

  @Field(() => DocumentRevision)
  revision!: DocumentRevision;
}

@InputType()
export class PublishProductDocumentInput {
  @Field(() => ID)
  documentId!: string;

  @Field(() => ID, {
    nullable: true,
    description: 'The version to publish (an older one rolls back); the newest when left out.',
  })
  revisionId?: string | null;
}

@ObjectType()
export class PublishProductDocumentPayload {
  @Field(() => ProductDocument)
  document!: ProductDocument;
}

@InputType()
export class DeleteProductDocumentInput {
  @Field(() => ID)
  documentId!: string;
}

@ObjectType()
export class DeleteProductDocumentPayload {
  @Field(() => ID)
  deletedDocumentId!: string;
}

@InputType()
export class CreateChangelogEntryInput {
  @Field(() => ID)
  productId!: string;

  @Field(() => ChangelogKind)
  kind!: ChangelogKind;

  @Field({ description: '1 to 200 characters.' })
  title!: string;

  @Field(() => String, { nullable: true, description: 'Markdown, at most 20,000 characters.' })
  body?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'With endpointPath: the entry concerns one endpoint, not the whole product.',
  })
  endpointMethod?: string | null;

  @Field(() => String, { nullable: true })
  endpointPath?: string | null;

  @Field(() => Date, { nullable: true, description: 'DEPRECATED only; now when left out.' })
  deprecationAt?: Date | null;

  @Field(() => Date, {
    nullable: true,
    description: 'DEPRECATED only: when it stops working; after deprecationAt.',
  })
  sunsetAt?: Date | null;

  @Field(() => Boolean, {
    nullable: true,
    description: 'Publish at once (and tell the owners of apps granted the product).',
  })
  publish?: boolean | null;
}

@InputType({ description: 'Fields left out are not changed.' })
export class UpdateChangelogEntryInput {
  @Field(() => ID)
  entryId!: string;

  @Field(() => String, { nullable: true })
  title?: string | null;

  @Field(() => String, { nullable: true })
  body?: string | null;

  @Field(() => Date, { nullable: true })
  deprecationAt?: Date | null;

  @Field(() => Date, { nullable: true })
  sunsetAt?: Date | null;
}

@InputType()
export class PublishChangelogEntryInput {
  @Field(() => ID)
  entryId!: string;
}

@ObjectType()
export class ChangelogEntryPayload {
  @Field(() => ChangelogEntry)
  entry!: ChangelogEntry;

  @Field(() => Int, { description: 'How many app owners were told (0 for a draft).' })
  notifiedOwners!: number;
}

@InputType()
export class SendDeprecationNoticeInput {
  @Field(() => ID)
  productId!: string;

  @Field({ description: 'The notice, 1 to 5,000 characters.' })
  message!: string;
}

@ObjectType()
export class SendDeprecationNoticePayload {
  @Field(() => Int, {
    description: 'How many owners were told: those of apps that called it in 30 days.',
  })
  notifiedOwners!: number;
}

@InputType()
export class CreateSandboxTokenInput {
  @Field(() => ID, { description: 'One of your apps, granted the product.' })
  appId!: string;

  @Field(() => ID)
  productId!: string;

  @Field(() => PermissionLevel, {
    nullable: true,
    description: "READ when left out; at most the app's level.",
  })
  permissionLevel?: PermissionLevel | null;

  @Field(() => Int, { nullable: true, description: 'Lifetime in minutes, 1 to 60 (15).' })
  minutes?: number | null;
}

@ObjectType({ description: 'The token is shown here once and never again.' })
export class CreateSandboxTokenPayload {
  @Field({ description: 'Send as `Authorization: Bearer <token>`.' })
  token!: string;

  @Field(() => ID)
  sandboxTokenId!: string;

  @Field()
  expiresAt!: Date;

  @Field(() => PermissionLevel)
  permissionLevel!: PermissionLevel;

  @Field(() => App)
  app!: App;

  @Field(() => ApiProduct)
  product!: ApiProduct;
}

@InputType()
export class SendLabsFeedbackInput {
  @Field(() => ID)
  productId!: string;

  @Field(() => Int, { description: '1 to 5.' })
  rating!: number;

  @Field({ description: '1 to 5,000 characters.' })
  text!: string;

  @Field(() => String, { nullable: true, description: 'With endpointPath: about one endpoint.' })
  endpointMethod?: string | null;

  @Field(() => String, { nullable: true })
  endpointPath?: string | null;
}

@InputType()
export class AnswerLabsFeedbackInput {
  @Field(() => ID)
  feedbackId!: string;

  @Field({ description: '1 to 5,000 characters; the author is told.' })
  answer!: string;

  @Field(() => Boolean, { nullable: true, description: 'Close it too.' })
  close?: boolean | null;
}

@InputType()
export class CloseLabsFeedbackInput {
  @Field(() => ID)
  feedbackId!: string;
}

@ObjectType()
export class LabsFeedbackPayload {
  @Field(() => LabsFeedback)
  feedback!: LabsFeedback;
}
