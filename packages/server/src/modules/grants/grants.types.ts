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
registerEnumType(GrantDecision, { name: 'GrantDecision' });

export enum ReviewItemKind {
  GRANT = 'GRANT',
  APPLICATION = 'APPLICATION',
}
registerEnumType(ReviewItemKind, {
  name: 'ReviewItemKind',
  description:
    "GRANT: an app's pending product request; APPLICATION: a developer account application.",
});

@InputType()
export class RequestProductsInput {
  @Field(() => ID)
  appId!: string;

  @Field(() => [ID], { description: '1 to 20 products, each at most once.' })
  productIds!: string[];
}

@ObjectType()
export class RequestProductsPayload {
  @Field(() => App, { description: 'The app, with its status after the request.' })
  app!: App;

  @Field(() => [ProductGrant], { description: 'The new requests, in the order asked.' })
  grants!: ProductGrant[];
}

@InputType()
export class WithdrawGrantRequestInput {
  @Field(() => ID)
  grantId!: string;
}

@ObjectType()
export class WithdrawGrantRequestPayload {
  @Field(() => ProductGrant)
  grant!: ProductGrant;

  @Field(() => App)
  app!: App;
}

@InputType()
export class DecideGrantsInput {
  @Field(() => [ID], { description: '1 to 100 pending requests; all are decided or none.' })
  grantIds!: string[];

  @Field(() => GrantDecision)
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

@ObjectType()
export class DecideGrantsPayload {
  @Field(() => [ProductGrant], { description: 'The decided requests, in the order given.' })
  grants!: ProductGrant[];
}

@InputType()
export class RevokeGrantInput {
  @Field(() => ID)
  grantId!: string;

  @Field({ description: 'Shown to the app owner (1 to 2000 characters).' })
  reason!: string;
}

@ObjectType()
export class RevokeGrantPayload {
  @Field(() => ProductGrant)
  grant!: ProductGrant;
}

@InputType()
export class ReviewQueueFilter {
  @Field(() => ReviewItemKind, { nullable: true })
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
  @Field(() => ReviewQueueFilter, { nullable: true })
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

  @Field(() => ReviewItemKind)
  kind!: ReviewItemKind;

  @Field({ description: 'When it was submitted.' })
  createdAt!: Date;

  @Field(() => Int, { description: 'How long it has waited, in seconds.' })
  ageSeconds!: number;
}

@ObjectType({ implements: ReviewItem, description: "An app's pending request for a product." })
export class GrantReviewItem extends ReviewItem {
  @Field(() => ProductGrant)
  grant!: ProductGrant;
}

@ObjectType({
  implements: ReviewItem,
  description: 'A developer account application (pending or with a question).',
})
export class ApplicationReviewItem extends ReviewItem {
  @Field(() => DeveloperApplication)
  application!: DeveloperApplication;
}

export const ReviewItemConnection = ConnectionType(ReviewItem, 'ReviewItem');

@InputType()
export class CreateReasonTemplateInput {
  @Field({ description: '1 to 100 characters.' })
  title!: string;

  @Field({ description: '1 to 2000 characters.' })
  text!: string;
}

@ObjectType()
export class CreateReasonTemplatePayload {
  @Field(() => ReasonTemplate)
  reasonTemplate!: ReasonTemplate;
}

@InputType({ description: 'Fields left out are not changed.' })
export class UpdateReasonTemplateInput {
  @Field(() => ID)
  reasonTemplateId!: string;

  @Field(() => String, { nullable: true })
  title?: string | null;

  @Field(() => String, { nullable: true })
  text?: string | null;
}

@ObjectType()
export class UpdateReasonTemplatePayload {
  @Field(() => ReasonTemplate)
  reasonTemplate!: ReasonTemplate;
}

@InputType()
export class DeleteReasonTemplateInput {
  @Field(() => ID)
  reasonTemplateId!: string;
}

@ObjectType()
export class DeleteReasonTemplatePayload {
  @Field(() => ID)
  deletedReasonTemplateId!: string;
}
