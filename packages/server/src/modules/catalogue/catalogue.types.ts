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

registerEnumType(CodeSampleLanguage, {
  name: 'CodeSampleLanguage',
  description: 'The language of a code sample.',
  valuesConfig: {
    CURL: { description: 'A curl command line.' },
    JAVASCRIPT: { description: 'JavaScript with `fetch`.' },
    PYTHON: { description: 'Python with `requests`.' },
  },
});

export enum CatalogueSearchHitKind {
  GUIDE = 'GUIDE',
  ENDPOINT = 'ENDPOINT',
}
registerEnumType(CatalogueSearchHitKind, {
  name: 'CatalogueSearchHitKind',
  description: 'What a catalogue search found.',
  valuesConfig: {
    GUIDE: { description: 'A published document: the overview or a guide.' },
    ENDPOINT: { description: 'An endpoint of a published OpenAPI description.' },
  },
});

@ObjectType({ description: 'A request parameter of an endpoint.' })
export class EndpointParameter {
  @Field({ description: 'The parameter name.' })
  name!: string;

  @Field({ description: 'path, query, header or cookie.' })
  in!: string;

  @Field({ description: 'Whether the request must have it.' })
  required!: boolean;

  @Field({ description: 'What it is, in Markdown; may be empty.' })
  description!: string;

  @Field(() => GraphQLJSONObject, { nullable: true, description: 'JSON Schema.' })
  schema!: Record<string, unknown> | null;

  @Field(() => String, { nullable: true, description: 'An example value, as JSON text.' })
  example!: string | null;
}

@ObjectType({ description: 'The request body an endpoint takes.' })
export class EndpointRequestBody {
  @Field({ description: 'Whether the request must have a body.' })
  required!: boolean;

  @Field({ description: 'What it is, in Markdown; may be empty.' })
  description!: string;

  @Field({ description: 'The media type, e.g. `application/json`.' })
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

  @Field({ description: 'What it means, in Markdown; may be empty.' })
  description!: string;

  @Field(() => String, {
    nullable: true,
    description: 'The media type of its body; null when it has none.',
  })
  contentType!: string | null;

  @Field(() => GraphQLJSONObject, { nullable: true, description: 'JSON Schema.' })
  schema!: Record<string, unknown> | null;

  @Field(() => String, { nullable: true, description: 'An example body, as JSON text.' })
  example!: string | null;
}

@ObjectType({ description: 'A ready-to-run request; the credential is a placeholder.' })
export class CodeSample {
  @Field(() => CodeSampleLanguage, { description: 'The language of the sample.' })
  language!: CodeSampleLanguage;

  @Field({ description: 'A name to show, e.g. `JavaScript (fetch)`.' })
  label!: string;

  @Field({ description: 'The code, ready to run once the placeholder is replaced.' })
  code!: string;

  @Field({ description: 'The text standing for the credential in `code` (never a secret).' })
  tokenPlaceholder!: string;
}

@ObjectType({ description: 'A guide or endpoint that matches a catalogue search.' })
export class CatalogueSearchHit {
  @Field(() => CatalogueSearchHitKind, { description: 'Whether it is a guide or an endpoint.' })
  kind!: CatalogueSearchHitKind;

  @Field(() => ApiProduct, { description: 'The product it belongs to.' })
  product!: ApiProduct;

  @Field(() => ProductDocument, { nullable: true, description: 'For a GUIDE hit.' })
  document!: ProductDocument | null;

  @Field(() => ApiEndpoint, { nullable: true, description: 'For an ENDPOINT hit.' })
  endpoint!: ApiEndpoint | null;

  @Field({ description: "The guide's title, or the endpoint's method and path." })
  title!: string;

  @Field({ description: 'Plain text around the match (no markup).' })
  snippet!: string;

  @Field({ description: 'Higher is a better match.' })
  rank!: number;
}

@ObjectType({ description: 'One app that called a product, with its recent traffic.' })
export class DeprecationImpactApp {
  @Field(() => App, { description: 'The app.' })
  app!: App;

  @Field(() => Organization, { description: "The app's organization." })
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

  @Field(() => Date, {
    nullable: true,
    description:
      'When the app last called the product, to the minute, hour or day the usage records still hold; null when not known.',
  })
  lastCalledAt!: Date | null;
}

@ObjectType({ description: 'Who still calls a product: apps and organizations, last 30 days.' })
export class DeprecationImpact {
  @Field(() => ApiProduct, { description: 'The product.' })
  product!: ApiProduct;

  @Field({ description: 'The start of the 30-day window (a UTC midnight).' })
  since!: Date;

  @Field({ description: 'Requests to the product in the window, all apps together.' })
  totalRequests!: number;

  @Field(() => Int, { description: 'How many organizations have apps that called it.' })
  organizationCount!: number;

  @Field(() => [DeprecationImpactApp], { description: 'Most requests first.' })
  apps!: DeprecationImpactApp[];
}

@InputType({
  description: "A product's catalogue settings to change; fields left out are not changed.",
})
export class UpdateProductCatalogueInput {
  @Field(() => ID, { description: 'The product.' })
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

@ObjectType({ description: 'The result of `updateProductCatalogue`.' })
export class UpdateProductCataloguePayload {
  @Field(() => ApiProduct, { description: 'The product as it is now.' })
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

@ObjectType({ description: 'The result of `saveProductDocument`.' })
export class SaveProductDocumentPayload {
  @Field(() => ProductDocument, { description: 'The document.' })
  document!: ProductDocument;

  @Field(() => DocumentRevision, { description: 'The version just saved.' })
  revision!: DocumentRevision;
}

@InputType({ description: 'The document and the version to publish.' })
export class PublishProductDocumentInput {
  @Field(() => ID, { description: 'The document.' })
  documentId!: string;

  @Field(() => ID, {
    nullable: true,
    description: 'The version to publish (an older one rolls back); the newest when left out.',
  })
  revisionId?: string | null;
}

@ObjectType({ description: 'The result of `publishProductDocument`.' })
export class PublishProductDocumentPayload {
  @Field(() => ProductDocument, { description: 'The document, with its published version.' })
  document!: ProductDocument;
}

@InputType({ description: 'The document to delete.' })
export class DeleteProductDocumentInput {
  @Field(() => ID, { description: 'The document.' })
  documentId!: string;
}

@ObjectType({ description: 'The result of `deleteProductDocument`.' })
export class DeleteProductDocumentPayload {
  @Field(() => ID, { description: 'The id of the deleted document.' })
  deletedDocumentId!: string;
}

@InputType({ description: 'A new changelog entry of a product.' })
export class CreateChangelogEntryInput {
  @Field(() => ID, { description: 'The product.' })
  productId!: string;

  @Field(() => ChangelogKind, { description: 'What the entry announces.' })
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

  @Field(() => String, {
    nullable: true,
    description: 'With endpointMethod: the OpenAPI path of the endpoint concerned.',
  })
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
  @Field(() => ID, { description: 'The entry to change.' })
  entryId!: string;

  @Field(() => String, { nullable: true, description: 'A new title, 1 to 200 characters.' })
  title?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'A new body: Markdown, at most 20,000 characters.',
  })
  body?: string | null;

  @Field(() => Date, {
    nullable: true,
    description: 'DEPRECATED only: from when it is deprecated.',
  })
  deprecationAt?: Date | null;

  @Field(() => Date, {
    nullable: true,
    description: 'DEPRECATED only: when it stops working; after deprecationAt.',
  })
  sunsetAt?: Date | null;
}

@InputType({ description: 'The draft entry to publish.' })
export class PublishChangelogEntryInput {
  @Field(() => ID, { description: 'A draft entry.' })
  entryId!: string;
}

@ObjectType({ description: 'A changelog entry as a mutation left it.' })
export class ChangelogEntryPayload {
  @Field(() => ChangelogEntry, { description: 'The entry.' })
  entry!: ChangelogEntry;

  @Field(() => Int, { description: 'How many app owners were told (0 for a draft).' })
  notifiedOwners!: number;
}

@InputType({ description: 'The product and the notice to send.' })
export class SendDeprecationNoticeInput {
  @Field(() => ID, { description: 'The product.' })
  productId!: string;

  @Field({ description: 'The notice, 1 to 5,000 characters.' })
  message!: string;
}

@ObjectType({ description: 'The result of `sendDeprecationNotice`.' })
export class SendDeprecationNoticePayload {
  @Field(() => Int, {
    description: 'How many owners were told: those of apps that called it in 30 days.',
  })
  notifiedOwners!: number;
}

@InputType({ description: 'The app and product of a try-it token.' })
export class CreateSandboxTokenInput {
  @Field(() => ID, { description: 'One of your apps, granted the product.' })
  appId!: string;

  @Field(() => ID, { description: 'The product the token may call.' })
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

  @Field(() => ID, { description: 'The id of the token (not the token itself).' })
  sandboxTokenId!: string;

  @Field({ description: 'When the token stops working.' })
  expiresAt!: Date;

  @Field(() => PermissionLevel, { description: 'What the token may do.' })
  permissionLevel!: PermissionLevel;

  @Field(() => App, { description: 'The app the token acts as.' })
  app!: App;

  @Field(() => ApiProduct, { description: 'The product the token may call.' })
  product!: ApiProduct;
}

@InputType({ description: 'Feedback on a Labs product.' })
export class SendLabsFeedbackInput {
  @Field(() => ID, { description: 'A Labs product.' })
  productId!: string;

  @Field(() => Int, { description: '1 to 5.' })
  rating!: number;

  @Field({ description: '1 to 5,000 characters.' })
  text!: string;

  @Field(() => String, { nullable: true, description: 'With endpointPath: about one endpoint.' })
  endpointMethod?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'With endpointMethod: the path of the endpoint it is about.',
  })
  endpointPath?: string | null;
}

@InputType({ description: "Staff's answer to Labs feedback." })
export class AnswerLabsFeedbackInput {
  @Field(() => ID, { description: 'The feedback.' })
  feedbackId!: string;

  @Field({ description: '1 to 5,000 characters; the author is told.' })
  answer!: string;

  @Field(() => Boolean, { nullable: true, description: 'Close it too.' })
  close?: boolean | null;
}

@InputType({ description: 'The Labs feedback to close.' })
export class CloseLabsFeedbackInput {
  @Field(() => ID, { description: 'The feedback.' })
  feedbackId!: string;
}

@ObjectType({ description: 'Labs feedback as a mutation left it.' })
export class LabsFeedbackPayload {
  @Field(() => LabsFeedback, { description: 'The feedback.' })
  feedback!: LabsFeedback;
}
