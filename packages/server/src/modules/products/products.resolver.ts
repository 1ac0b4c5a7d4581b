import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Access } from '../../auth/access.js';
import type { Context } from '../../context.js';
import { App } from '../apps/apps.entity.js';
import { Organization } from '../orgs/orgs.entity.js';
import {
  appOfDevEnvironment,
  createDevEnvironment,
  deleteDevEnvironment,
  devEnvironmentsOf,
  organizationOfDevEnvironment,
  updateDevEnvironment,
} from './environments.service.js';
import {
  changePlan,
  createPlan,
  listPlans,
  planOfSubscription,
  subscriptionsOf,
  updatePlan,
} from './plans.service.js';
import { ApiProduct, DevEnvironment, Plan, PlanSubscription } from './products.entity.js';
import {
  approvalRulesOf,
  archiveProduct,
  createProduct,
  findProduct,
  listProducts,
  productOf,
  updateProduct,
} from './products.service.js';
import {
  ApprovalRulesType,
  ArchiveProductInput,
  ArchiveProductPayload,
  ChangePlanInput,
  ChangePlanPayload,
  CreateDevEnvironmentInput,
  CreateDevEnvironmentPayload,
  CreatePlanInput,
  CreatePlanPayload,
  CreateProductInput,
  CreateProductPayload,
  DeleteDevEnvironmentInput,
  DeleteDevEnvironmentPayload,
  UpdateDevEnvironmentInput,
  UpdateDevEnvironmentPayload,
  UpdatePlanInput,
  UpdatePlanPayload,
  UpdateProductInput,
  UpdateProductPayload,
} from './products.types.js';

@Resolver(() => ApiProduct)
export class ProductResolver {
  @Access('SIGNED_IN')
  @Query(() => [ApiProduct], {
    description: 'API products by name; archived ones only for staff.',
  })
  async products(@Ctx() ctx: Context): Promise<ApiProduct[]> {
    return listProducts(ctx);
  }

  @Access('SIGNED_IN')
  @Query(() => ApiProduct, {
    nullable: true,
    description: 'A product (NOT_FOUND when archived, except for staff).',
  })
  async product(
    @Arg('id', () => ID, { description: "The product's id." }) id: string,
    @Ctx() ctx: Context,
  ): Promise<ApiProduct> {
    return findProduct(ctx, id);
  }

  @Access('STAFF')
  @Mutation(() => CreateProductPayload, { description: 'Staff add an API product.' })
  async createProduct(
    @Arg('input', { description: 'The new product.' }) input: CreateProductInput,
    @Ctx() ctx: Context,
  ): Promise<CreateProductPayload> {
    return { product: await createProduct(ctx, input) };
  }

  @Access('STAFF')
  @Mutation(() => UpdateProductPayload, { description: 'Staff change a live API product.' })
  async updateProduct(
    @Arg('input', { description: 'The product and the fields to change.' })
    input: UpdateProductInput,
    @Ctx() ctx: Context,
  ): Promise<UpdateProductPayload> {
    return { product: await updateProduct(ctx, input) };
  }

  @Access('STAFF')
  @Mutation(() => ArchiveProductPayload, {
    description:
      'Staff archive a product: hidden from everyone but staff, its path prefixes freed, no longer changeable.',
  })
  async archiveProduct(
    @Arg('input', { description: 'The product to archive.' }) input: ArchiveProductInput,
    @Ctx() ctx: Context,
  ): Promise<ArchiveProductPayload> {
    return { product: await archiveProduct(ctx, input) };
  }

  @FieldResolver(() => ApprovalRulesType, {
    nullable: true,
    description: 'The conditions of a CONDITIONAL product; null for AUTO and MANUAL.',
  })
  approvalRules(@Root() product: ApiProduct): ApprovalRulesType | null {
    return approvalRulesOf(product);
  }
}

@Resolver(() => Plan)
export class PlanResolver {
  @Access('SIGNED_IN')
  @Query(() => [Plan], { description: 'Every plan, lowest rank first.' })
  async plans(@Ctx() ctx: Context): Promise<Plan[]> {
    return listPlans(ctx);
  }

  @Access('STAFF')
  @Mutation(() => CreatePlanPayload, { description: 'Staff add a plan.' })
  async createPlan(
    @Arg('input', { description: 'The new plan.' }) input: CreatePlanInput,
    @Ctx() ctx: Context,
  ): Promise<CreatePlanPayload> {
    return { plan: await createPlan(ctx, input) };
  }

  @Access('STAFF')
  @Mutation(() => UpdatePlanPayload, {
    description: "Staff change a plan's limits; organizations on it get them at once.",
  })
  async updatePlan(
    @Arg('input', { description: 'The plan and the limits to change.' }) input: UpdatePlanInput,
    @Ctx() ctx: Context,
  ): Promise<UpdatePlanPayload> {
    return { plan: await updatePlan(ctx, input) };
  }
}

@Resolver(() => PlanSubscription)
export class PlanSubscriptionResolver {
  @Access('SIGNED_IN')
  @Mutation(() => ChangePlanPayload, {
    description:
      "An organization admin picks the organization's plan for a product (CONFLICT on planId when the organization already exceeds its limits).",
  })
  async changePlan(
    @Arg('input', { description: 'The organization, product and plan.' }) input: ChangePlanInput,
    @Ctx() ctx: Context,
  ): Promise<ChangePlanPayload> {
    return changePlan(ctx, input);
  }

  @FieldResolver(() => ApiProduct, { description: 'The product the plan applies to.' })
  async product(@Root() subscription: PlanSubscription, @Ctx() ctx: Context): Promise<ApiProduct> {
    return productOf(ctx, subscription.product);
  }

  @FieldResolver(() => Plan, { description: "The organization's plan for the product." })
  async plan(@Root() subscription: PlanSubscription, @Ctx() ctx: Context): Promise<Plan> {
    return planOfSubscription(ctx, subscription);
  }
}

@Resolver(() => DevEnvironment)
export class DevEnvironmentResolver {
  @Access('SIGNED_IN')
  @Mutation(() => CreateDevEnvironmentPayload, {
    description:
      "An organization admin adds a dev environment for a product; the organization's plan caps how many (CONFLICT).",
  })
  async createDevEnvironment(
    @Arg('input', { description: 'The new environment.' }) input: CreateDevEnvironmentInput,
    @Ctx() ctx: Context,
  ): Promise<CreateDevEnvironmentPayload> {
    return { devEnvironment: await createDevEnvironment(ctx, input) };
  }

  @Access('SIGNED_IN')
  @Mutation(() => UpdateDevEnvironmentPayload, { description: 'An organization admin.' })
  async updateDevEnvironment(
    @Arg('input', { description: 'The environment and the fields to change.' })
    input: UpdateDevEnvironmentInput,
    @Ctx() ctx: Context,
  ): Promise<UpdateDevEnvironmentPayload> {
    return { devEnvironment: await updateDevEnvironment(ctx, input) };
  }

  @Access('SIGNED_IN')
  @Mutation(() => DeleteDevEnvironmentPayload, { description: 'An organization admin.' })
  async deleteDevEnvironment(
    @Arg('input', { description: 'The environment to delete.' }) input: DeleteDevEnvironmentInput,
    @Ctx() ctx: Context,
  ): Promise<DeleteDevEnvironmentPayload> {
    return { deletedDevEnvironmentId: await deleteDevEnvironment(ctx, input) };
  }

  @FieldResolver(() => ApiProduct, { description: 'The product the environment is for.' })
  async product(@Root() environment: DevEnvironment, @Ctx() ctx: Context): Promise<ApiProduct> {
    return productOf(ctx, environment.product);
  }

  @FieldResolver(() => App, {
    nullable: true,
    description: 'The attached app; null when none (or it was deleted).',
  })
  async app(@Root() environment: DevEnvironment, @Ctx() ctx: Context): Promise<App | null> {
    return appOfDevEnvironment(ctx, environment);
  }

  @FieldResolver(() => Organization, {
    description: 'The organization the environment belongs to.',
  })
  async organization(
    @Root() environment: DevEnvironment,
    @Ctx() ctx: Context,
  ): Promise<Organization> {
    return organizationOfDevEnvironment(ctx, environment);
  }
}

@Resolver(() => Organization)
export class OrganizationProductsResolver {
  @FieldResolver(() => [PlanSubscription], {
    description:
      "The organization's chosen plans per live product; a product with none uses the lowest-rank plan.",
  })
  async planSubscriptions(
    @Root() organization: Organization,
    @Ctx() ctx: Context,
  ): Promise<PlanSubscription[]> {
    return subscriptionsOf(ctx, organization);
  }

  @FieldResolver(() => [DevEnvironment], {
    description: 'Dev environments of live products, oldest first; optionally of one product.',
  })
  async devEnvironments(
    @Root() organization: Organization,
    @Arg('productId', () => ID, {
      nullable: true,
      description: 'Only the environments of this product; all when null.',
    })
    productId: string | null,
    @Ctx() ctx: Context,
  ): Promise<DevEnvironment[]> {
    return devEnvironmentsOf(ctx, organization, productId ?? null);
  }
}
