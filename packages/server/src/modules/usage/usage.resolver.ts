import { referencedId } from '../../db/rows.js';
import { Args, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import { Access } from '../../auth/access.js';
import type { Context } from '../../context.js';
import { App } from '../apps/apps.entity.js';
import { ProductGrant } from '../grants/grants.entity.js';
import { ApiProduct, Plan } from '../products/products.entity.js';
import { productLoaders } from '../products/products.loaders.js';
import { notFound } from '../../errors.js';
import { andThen } from '../../loaders.js';
import { emptySummary, usageLoaders } from './usage.loaders.js';
import { readUsage, resolveUsageScope, usageBreakdown, usageCaps } from './usage.service.js';
import { Usage, UsageArgs, UsageCap, UsageGroup, UsageSummary } from './usage.types.js';

@Resolver(() => Usage)
export class UsageResolver {
  @Access('SIGNED_IN')
  @Query(() => Usage, {
    description:
      'Usage of an organization, project, app, credential or dev environment (its members and staff), or of a product or every organization (staff), over a period in UTC.',
  })
  async usage(@Args() args: UsageArgs, @Ctx() ctx: Context): Promise<Usage> {
    return readUsage(ctx, await resolveUsageScope(ctx, args));
  }

  @FieldResolver(() => [UsageGroup], { description: 'Per app, most used first.' })
  async byApp(@Root() usage: Usage, @Ctx() ctx: Context): Promise<UsageGroup[]> {
    return usageBreakdown(ctx, usage.scope, 'app');
  }

  @FieldResolver(() => [UsageGroup], { description: 'Per product, most used first.' })
  async byProduct(@Root() usage: Usage, @Ctx() ctx: Context): Promise<UsageGroup[]> {
    return usageBreakdown(ctx, usage.scope, 'product');
  }

  @FieldResolver(() => [UsageGroup], {
    description: 'Per dev environment ("No environment" for production traffic).',
  })
  async byEnvironment(@Root() usage: Usage, @Ctx() ctx: Context): Promise<UsageGroup[]> {
    return usageBreakdown(ctx, usage.scope, 'environment');
  }

  @FieldResolver(() => [UsageGroup], { description: 'Per credential, most used first.' })
  async byCredential(@Root() usage: Usage, @Ctx() ctx: Context): Promise<UsageGroup[]> {
    return usageBreakdown(ctx, usage.scope, 'credential');
  }

  @FieldResolver(() => [UsageCap], {
    description:
      "This usage against the monthly caps of the organization's plans, per product and metric, in the billing month of the period (the current month for rolling windows). Empty across organizations.",
  })
  async caps(@Root() usage: Usage, @Ctx() ctx: Context): Promise<UsageCap[]> {
    return usageCaps(ctx, usage.scope);
  }
}

@Resolver(() => UsageCap)
export class UsageCapResolver {
  @FieldResolver(() => ApiProduct, { description: 'The product the cap is for.' })
  async product(@Root() cap: UsageCap, @Ctx() ctx: Context): Promise<ApiProduct> {
    const product = await productLoaders(ctx).productById.load(cap.productId);
    if (!product) throw notFound('Product', 'productId');
    return product;
  }

  @FieldResolver(() => Plan, {
    nullable: true,
    description:
      "The organization's plan for the product, whose cap this is; null if it cannot be found.",
  })
  async plan(@Root() cap: UsageCap, @Ctx() ctx: Context): Promise<Plan | null> {
    return cap.planId ? productLoaders(ctx).planById.load(cap.planId) : null;
  }
}

@Resolver(() => App)
export class AppUsageResolver {
  @FieldResolver(() => UsageSummary, {
    description: "This month's usage of the app, every product together (UTC).",
  })
  usageThisMonth(@Root() app: App, @Ctx() ctx: Context): UsageSummary | Promise<UsageSummary> {
    return andThen(usageLoaders(ctx).monthByApp.get(app.id), (month) => month.total);
  }
}

@Resolver(() => ProductGrant)
export class GrantUsageResolver {
  @FieldResolver(() => UsageSummary, {
    description: "This month's usage of the app for the grant's product (UTC).",
  })
  usageThisMonth(
    @Root() grant: ProductGrant,
    @Ctx() ctx: Context,
  ): UsageSummary | Promise<UsageSummary> {
    return andThen(
      usageLoaders(ctx).monthByApp.get(referencedId(grant, 'app')!),
      (month) => month.byProduct.get(referencedId(grant, 'product')!) ?? emptySummary(),
    );
  }
}
