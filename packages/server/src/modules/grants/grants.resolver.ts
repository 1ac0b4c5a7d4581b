import { Arg, Args, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Access } from '../../auth/access.js';
import type { Context } from '../../context.js';
import type { Connection } from '../../graphql/connection.js';
import { User } from '../accounts/accounts.entity.js';
import { App } from '../apps/apps.entity.js';
import { Organization } from '../orgs/orgs.entity.js';
import { ApiProduct } from '../products/products.entity.js';
import { ProductGrant, ReasonTemplate } from './grants.entity.js';
import {
  appOfGrant,
  grantsOfApp,
  organizationOfGrant,
  productOfGrant,
  userOf,
} from './grants.read.js';
import { revokeGrant } from './grants.service.js';
import {
  ApplicationReviewItem,
  CreateReasonTemplateInput,
  CreateReasonTemplatePayload,
  DeleteReasonTemplateInput,
  DeleteReasonTemplatePayload,
  GrantReviewItem,
  ReviewItemConnection,
  ReviewQueueArgs,
  RevokeGrantInput,
  RevokeGrantPayload,
  UpdateReasonTemplateInput,
  UpdateReasonTemplatePayload,
  type ReviewItem,
} from './grants.types.js';
import {
  createReasonTemplate,
  deleteReasonTemplate,
  listReasonTemplates,
  updateReasonTemplate,
} from './reason-templates.service.js';
import { reviewQueue } from './review-queue.service.js';

@Resolver(() => ProductGrant)
export class ProductGrantResolver {
  @Access('STAFF')
  @Mutation(() => RevokeGrantPayload, { description: "Takes back an app's approved access." })
  async revokeGrant(
    @Arg('input', { description: 'The grant and why.' }) input: RevokeGrantInput,
    @Ctx() ctx: Context,
  ): Promise<RevokeGrantPayload> {
    return { grant: await revokeGrant(ctx, input) };
  }

  @FieldResolver(() => ApiProduct, { description: 'The product asked for.' })
  async product(@Root() grant: ProductGrant, @Ctx() ctx: Context): Promise<ApiProduct> {
    return productOfGrant(ctx, grant);
  }

  @FieldResolver(() => App, { description: 'The app that asked.' })
  async app(@Root() grant: ProductGrant, @Ctx() ctx: Context): Promise<App> {
    return appOfGrant(ctx, grant);
  }

  @FieldResolver(() => User, {
    nullable: true,
    description: 'Who asked (null once their account is gone).',
  })
  async requestedBy(@Root() grant: ProductGrant, @Ctx() ctx: Context): Promise<User | null> {
    return userOf(ctx, grant.requestedBy);
  }

  @FieldResolver(() => User, {
    nullable: true,
    description: 'The staff member who decided (or who withdrew); null for an automatic decision.',
  })
  async decidedBy(@Root() grant: ProductGrant, @Ctx() ctx: Context): Promise<User | null> {
    return userOf(ctx, grant.decidedBy);
  }
}

@Resolver(() => App)
export class AppGrantsResolver {
  @FieldResolver(() => [ProductGrant], {
    description: "The app's product requests and grants, current and past, newest first.",
  })
  grants(@Root() app: App, @Ctx() ctx: Context): ProductGrant[] | Promise<ProductGrant[]> {
    return grantsOfApp(ctx, app);
  }
}

@Resolver(() => GrantReviewItem)
export class GrantReviewItemResolver {
  @Access('STAFF')
  @Query(() => ReviewItemConnection, {
    description:
      'What waits for staff, oldest first: pending product requests and developer applications.',
  })
  async reviewQueue(
    @Args() args: ReviewQueueArgs,
    @Ctx() ctx: Context,
  ): Promise<Connection<ReviewItem>> {
    return reviewQueue(ctx, args);
  }

  @FieldResolver(() => App, { description: 'The app that asks.' })
  async app(@Root() item: GrantReviewItem, @Ctx() ctx: Context): Promise<App> {
    return appOfGrant(ctx, item.grant);
  }

  @FieldResolver(() => Organization, { description: "The app's organization." })
  async organization(@Root() item: GrantReviewItem, @Ctx() ctx: Context): Promise<Organization> {
    return organizationOfGrant(ctx, item.grant);
  }

  @FieldResolver(() => User, { description: "The app's owner." })
  async owner(@Root() item: GrantReviewItem, @Ctx() ctx: Context): Promise<User> {
    const app = await appOfGrant(ctx, item.grant);
    const owner = await userOf(ctx, app.owner);
    if (!owner) throw new Error(`The owner of ${app.id} is missing.`);
    return owner;
  }

  @FieldResolver(() => ApiProduct, { description: 'The product asked for.' })
  async product(@Root() item: GrantReviewItem, @Ctx() ctx: Context): Promise<ApiProduct> {
    return productOfGrant(ctx, item.grant);
  }
}

@Resolver(() => ApplicationReviewItem)
export class ApplicationReviewItemResolver {
  @FieldResolver(() => User, { description: 'Who applied.' })
  async applicant(@Root() item: ApplicationReviewItem, @Ctx() ctx: Context): Promise<User> {
    const user = await userOf(ctx, item.application.user);
    if (!user) throw new Error(`The applicant of ${item.application.id} is missing.`);
    return user;
  }
}

@Resolver(() => ReasonTemplate)
export class ReasonTemplateResolver {
  @Access('STAFF')
  @Query(() => [ReasonTemplate], { description: 'Reusable reasons for decisions, by title.' })
  async reasonTemplates(@Ctx() ctx: Context): Promise<ReasonTemplate[]> {
    return listReasonTemplates(ctx);
  }

  @Access('STAFF')
  @Mutation(() => CreateReasonTemplatePayload, { description: 'Staff add a reason template.' })
  async createReasonTemplate(
    @Arg('input', { description: 'The new template.' }) input: CreateReasonTemplateInput,
    @Ctx() ctx: Context,
  ): Promise<CreateReasonTemplatePayload> {
    return { reasonTemplate: await createReasonTemplate(ctx, input) };
  }

  @Access('STAFF')
  @Mutation(() => UpdateReasonTemplatePayload, { description: 'Staff change a reason template.' })
  async updateReasonTemplate(
    @Arg('input', { description: 'The template and the fields to change.' })
    input: UpdateReasonTemplateInput,
    @Ctx() ctx: Context,
  ): Promise<UpdateReasonTemplatePayload> {
    return { reasonTemplate: await updateReasonTemplate(ctx, input) };
  }

  @Access('STAFF')
  @Mutation(() => DeleteReasonTemplatePayload, {
    description: 'Staff delete a reason template; decisions made with it keep their reason.',
  })
  async deleteReasonTemplate(
    @Arg('input', { description: 'The template to delete.' }) input: DeleteReasonTemplateInput,
    @Ctx() ctx: Context,
  ): Promise<DeleteReasonTemplatePayload> {
    return { deletedReasonTemplateId: await deleteReasonTemplate(ctx, input) };
  }
}
