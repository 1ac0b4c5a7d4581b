import {
  ArgsType,
  Field,
  ID,
  InputType,
  Int,
  InterfaceType,
  ObjectType,
  registerEnumType,
} from 'type-graphql';
import { ConnectionType, PageArgs } from '../../graphql/connection.js';
import { App } from '../apps/apps.entity.js';
import { DeveloperApplication } from '../applications/applications.entity.js';
import { ProductGrant, ReasonTemplate } from './grants.entity.js';

export enum GrantDecision {
  APPROVE = 'APPROVE',
  REJECT = 'REJECT',
}
registerEnumType(GrantDecision, {
  name: 'GrantDecision',
  description: 'What staff decide on pending requests.',
  valuesConfig: {
    APPROVE: { description: 'Give the app access to the product.' },
    REJECT: { description: 'Refuse the request; a reason is required.' },
  },
});

export enum ReviewItemKind {
  GRANT = 'GRANT',
  APPLICATION = 'APPLICATION',
}
registerEnumType(ReviewItemKind, {
  name: 'ReviewItemKind',
  description:
    "GRANT: an app's pending product request; APPLICATION: a developer account application.",
  valuesConfig: {
    GRANT: { description: "An app's pending product request." },
    APPLICATION: { description: 'A developer account application.' },
  },
});

@InputType({ description: 'The app and the products it asks for.' })
export class RequestProductsInput {
  @Field(() => ID, { description: 'The app; you must own it or be an admin of its organization.' })
  appId!: string;

  @Field(() => [ID], { description: '1 to 20 products, each at most once.' })
  productIds!: string[];
}

@ObjectType({ description: 'The result of `requestProducts`.' })
export class RequestProductsPayload {
  @Field(() => App, { description: 'The app, with its status after the request.' })
  app!: App;

  @Field(() => [ProductGrant], { description: 'The new requests, in the order asked.' })
  grants!: ProductGrant[];
}

@InputType({ description: 'The pending request to take back.' })
export class WithdrawGrantRequestInput {
  @Field(() => ID, { description: 'A PENDING grant of an app you own or administer.' })
  grantId!: string;
}

@ObjectType({ description: 'The result of `withdrawGrantRequest`.' })
export class WithdrawGrantRequestPayload {
  @Field(() => ProductGrant, { description: 'The grant, now WITHDRAWN.' })
  grant!: ProductGrant;

  @Field(() => App, { description: 'The app, with its status after the withdrawal.' })
  app!: App;
}

@InputType({ description: 'Pending requests and the decision on them.' })
export class DecideGrantsInput {
  @Field(() => [ID], { description: '1 to 100 pending requests; all are decided or none.' })
  grantIds!: string[];

  @Field(() => GrantDecision, { description: 'Approve or reject every request listed.' })
  decision!: GrantDecision;

  @Field(() => String, {
    nullable: true,
    description: 'Shown to the app owner; required to reject unless a template gives it.',
  })
  reason?: string | null;

  @Field(() => ID, {
    nullable: true,
    description: "The template's text is the reason when none is given.",
  })
  reasonTemplateId?: string | null;
}

@ObjectType({ description: 'The result of `decideGrants`.' })
export class DecideGrantsPayload {
  @Field(() => [ProductGrant], { description: 'The decided requests, in the order given.' })
  grants!: ProductGrant[];
}

@InputType({ description: 'The approved grant to take back, and why.' })
export class RevokeGrantInput {
  @Field(() => ID, { description: 'An APPROVED grant.' })
  grantId!: string;

  @Field({ description: 'Shown to the app owner (1 to 2000 characters).' })
  reason!: string;
}

@ObjectType({ description: 'The result of `revokeGrant`.' })
export class RevokeGrantPayload {
  @Field(() => ProductGrant, { description: 'The grant, now REVOKED.' })
  grant!: ProductGrant;
}

@InputType({ description: 'Which items of the review queue to list.' })
export class ReviewQueueFilter {
  @Field(() => ReviewItemKind, {
    nullable: true,
    description: 'Only items of this kind; both when null.',
  })
  kind?: ReviewItemKind | null;

  @Field(() => ID, { nullable: true, description: 'Only requests for this product (grants only).' })
  productId?: string | null;

  @Field(() => ID, {
    nullable: true,
    description: 'Only requests of this organization (grants only).',
  })
  organizationId?: string | null;
}

@ArgsType()
export class ReviewQueueArgs extends PageArgs {
  @Field(() => ReviewQueueFilter, {
    nullable: true,
    description: 'Which items to list; all when null.',
  })
  filter?: ReviewQueueFilter | null;
}

/** What waits for staff: a pending product request or a developer account application. */
@InterfaceType({
  description: 'Something waiting for staff review, oldest first in the queue.',
  resolveType: (item: ReviewItem) =>
    item.kind === ReviewItemKind.GRANT ? 'GrantReviewItem' : 'ApplicationReviewItem',
})
export class ReviewItem {
  @Field(() => ID, { description: 'The id of the grant or the application.' })
  id!: string;

  @Field(() => ReviewItemKind, {
    description: 'Whether it is a product request or a developer application.',
  })
  kind!: ReviewItemKind;

  @Field({ description: 'When it was submitted.' })
  createdAt!: Date;

  @Field(() => Int, { description: 'How long it has waited, in seconds.' })
  ageSeconds!: number;
}

@ObjectType({ implements: ReviewItem, description: "An app's pending request for a product." })
export class GrantReviewItem extends ReviewItem {
  @Field(() => ProductGrant, { description: 'The pending request.' })
  grant!: ProductGrant;
}

@ObjectType({
  implements: ReviewItem,
  description: 'A developer account application (pending or with a question).',
})
export class ApplicationReviewItem extends ReviewItem {
  @Field(() => DeveloperApplication, { description: 'The application.' })
  application!: DeveloperApplication;
}

export const ReviewItemConnection = ConnectionType(ReviewItem, 'ReviewItem');

@InputType({ description: 'A new reason template.' })
export class CreateReasonTemplateInput {
  @Field({ description: '1 to 100 characters.' })
  title!: string;

  @Field({ description: '1 to 2000 characters.' })
  text!: string;
}

@ObjectType({ description: 'The result of `createReasonTemplate`.' })
export class CreateReasonTemplatePayload {
  @Field(() => ReasonTemplate, { description: 'The new template.' })
  reasonTemplate!: ReasonTemplate;
}

@InputType({ description: 'Fields left out are not changed.' })
export class UpdateReasonTemplateInput {
  @Field(() => ID, { description: 'The template to change.' })
  reasonTemplateId!: string;

  @Field(() => String, { nullable: true, description: 'A new title, 1 to 100 characters.' })
  title?: string | null;

  @Field(() => String, { nullable: true, description: 'A new text, 1 to 2,000 characters.' })
  text?: string | null;
}

@ObjectType({ description: 'The result of `updateReasonTemplate`.' })
export class UpdateReasonTemplatePayload {
  @Field(() => ReasonTemplate, { description: 'The template as it is now.' })
  reasonTemplate!: ReasonTemplate;
}

@InputType({ description: 'The reason template to delete.' })
export class DeleteReasonTemplateInput {
  @Field(() => ID, { description: 'The template to delete.' })
  reasonTemplateId!: string;
}

@ObjectType({ description: 'The result of `deleteReasonTemplate`.' })
export class DeleteReasonTemplatePayload {
  @Field(() => ID, { description: 'The id of the deleted template.' })
  deletedReasonTemplateId!: string;
}
