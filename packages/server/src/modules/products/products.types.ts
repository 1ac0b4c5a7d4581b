import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { PermissionLevel } from '../apps/apps.entity.js';
import { Organization } from '../orgs/orgs.entity.js';
import {
  ApiProduct,
  ApprovalMode,
  DevEnvironment,
  Plan,
  PlanSubscription,
} from './products.entity.js';

@ObjectType('ApprovalRulesType', {
  description:
    'Conditions of a CONDITIONAL product: a request meeting every set condition is approved at once; the rest go to staff.',
})
export class ApprovalRulesType {
  @Field({ description: 'The organization must be verified by staff.' })
  requireVerifiedOrg!: boolean;

  @Field(() => Int, {
    nullable: true,
    description: "The organization's plan for the product must have at least this rank.",
  })
  minimumPlanRank!: number | null;

  @Field(() => PermissionLevel, {
    nullable: true,
    description: "The app's permission level must be at most this.",
  })
  maximumPermissionLevel!: PermissionLevel | null;

  @Field(() => [String], {
    description: "The app owner's email domain must be one of these (none: any domain).",
  })
  emailDomains!: string[];
}

@InputType({ description: 'Leave a condition out (or null / false / empty) to not set it.' })
export class ApprovalRulesInput {
  @Field(() => Boolean, {
    nullable: true,
    description: 'Whether the organization must be verified by staff.',
  })
  requireVerifiedOrg?: boolean | null;

  @Field(() => Int, { nullable: true, description: 'A rank of an existing plan.' })
  minimumPlanRank?: number | null;

  @Field(() => PermissionLevel, {
    nullable: true,
    description: 'The highest permission level the app may have.',
  })
  maximumPermissionLevel?: PermissionLevel | null;

  @Field(() => [String], {
    nullable: true,
    description: 'Domains such as `example.com`; at most 50.',
  })
  emailDomains?: string[] | null;
}

@InputType({ description: 'A new API product.' })
export class CreateProductInput {
  @Field({ description: '1 to 100 characters.' })
  name!: string;

  @Field({
    description: '1 to 50 characters: a-z, 0-9 and `-`; unique, archived products included.',
  })
  slug!: string;

  @Field(() => String, {
    nullable: true,
    description: 'What the product offers, at most 2,000 characters; null for none.',
  })
  description?: string | null;

  @Field(() => [String], {
    description:
      'Gateway path prefixes (1 to 50), each starting with `/`; a prefix belongs to one live product.',
  })
  pathPrefixes!: string[];

  @Field(() => [String], {
    nullable: true,
    description: 'Prefixes that need READ_WRITE_DM; each sits under one of pathPrefixes.',
  })
  dmPathPrefixes?: string[] | null;

  @Field(() => Boolean, { nullable: true, description: 'false when left out.' })
  requiresProject?: boolean | null;

  @Field(() => ApprovalMode, { nullable: true, description: 'MANUAL when left out.' })
  approvalMode?: ApprovalMode | null;

  @Field(() => ApprovalRulesInput, {
    nullable: true,
    description: 'Required (with at least one condition) for CONDITIONAL; refused otherwise.',
  })
  approvalRules?: ApprovalRulesInput | null;
}

@InputType({ description: 'Fields left out are not changed.' })
export class UpdateProductInput {
  @Field(() => ID, { description: 'The live product to change.' })
  productId!: string;

  @Field(() => String, { nullable: true, description: 'A new name, 1 to 100 characters.' })
  name?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'A new slug: 1 to 50 characters of a-z, 0-9 and `-`; unique.',
  })
  slug?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'What the product offers, at most 2,000 characters.',
  })
  description?: string | null;

  @Field(() => [String], {
    nullable: true,
    description: 'Replaces the gateway path prefixes (1 to 50, each starting with `/`).',
  })
  pathPrefixes?: string[] | null;

  @Field(() => [String], {
    nullable: true,
    description: 'Replaces the prefixes that need READ_WRITE_DM; each under one of pathPrefixes.',
  })
  dmPathPrefixes?: string[] | null;

  @Field(() => Boolean, {
    nullable: true,
    description: 'Whether only apps inside a project may be granted the product.',
  })
  requiresProject?: boolean | null;

  @Field(() => ApprovalMode, {
    nullable: true,
    description: 'Leaving CONDITIONAL clears the rules.',
  })
  approvalMode?: ApprovalMode | null;

  @Field(() => ApprovalRulesInput, {
    nullable: true,
    description: 'Replaces every rule; only for a CONDITIONAL product.',
  })
  approvalRules?: ApprovalRulesInput | null;
}

@InputType({ description: 'The product to archive.' })
export class ArchiveProductInput {
  @Field(() => ID, { description: 'The live product to archive.' })
  productId!: string;
}

@ObjectType({ description: 'The result of `createProduct`.' })
export class CreateProductPayload {
  @Field(() => ApiProduct, { description: 'The new product.' })
  product!: ApiProduct;
}

@ObjectType({ description: 'The result of `updateProduct`.' })
export class UpdateProductPayload {
  @Field(() => ApiProduct, { description: 'The product as it is now.' })
  product!: ApiProduct;
}

@ObjectType({ description: 'The result of `archiveProduct`.' })
export class ArchiveProductPayload {
  @Field(() => ApiProduct, { description: 'The product, now archived.' })
  product!: ApiProduct;
}

@InputType({ description: 'A new plan and its limits.' })
export class CreatePlanInput {
  @Field({ description: '1 to 50 characters, unique.' })
  name!: string;

  @Field(() => Int, { description: '0 or more, unique; higher ranks are higher tiers.' })
  rank!: number;

  @Field(() => Number, { nullable: true, description: 'null or left out: unlimited.' })
  monthlyRequestCap?: number | null;

  @Field(() => Number, { nullable: true, description: 'null or left out: unlimited.' })
  monthlyUnitCap?: number | null;

  @Field(() => Int, { description: 'Requests allowed per window (1 or more).' })
  rateLimitRequests!: number;

  @Field(() => Int, { description: 'Window length in seconds (1 to 86400).' })
  rateLimitWindowSeconds!: number;

  @Field(() => Int, { description: 'Live apps an organization may have (0 or more).' })
  maxApps!: number;

  @Field(() => Int, { description: 'Dev environments per product (0 or more).' })
  maxDevEnvironments!: number;
}

@InputType({ description: 'Fields left out are not changed; null caps mean unlimited.' })
export class UpdatePlanInput {
  @Field(() => ID, { description: 'The plan to change.' })
  planId!: string;

  @Field(() => String, { nullable: true, description: 'A new name, 1 to 50 characters, unique.' })
  name?: string | null;

  @Field(() => Int, {
    nullable: true,
    description: 'A new rank, 0 or more, unique; higher ranks are higher tiers.',
  })
  rank?: number | null;

  @Field(() => Number, {
    nullable: true,
    description: 'Requests per month; null is unlimited.',
  })
  monthlyRequestCap?: number | null;

  @Field(() => Number, {
    nullable: true,
    description: 'Units (records) per month; null is unlimited.',
  })
  monthlyUnitCap?: number | null;

  @Field(() => Int, { nullable: true, description: 'Requests allowed per window (1 or more).' })
  rateLimitRequests?: number | null;

  @Field(() => Int, { nullable: true, description: 'Window length in seconds (1 to 86400).' })
  rateLimitWindowSeconds?: number | null;

  @Field(() => Int, {
    nullable: true,
    description: 'Live apps an organization may have (0 or more).',
  })
  maxApps?: number | null;

  @Field(() => Int, { nullable: true, description: 'Dev environments per product (0 or more).' })
  maxDevEnvironments?: number | null;
}

@ObjectType({ description: 'The result of `createPlan`.' })
export class CreatePlanPayload {
  @Field(() => Plan, { description: 'The new plan.' })
  plan!: Plan;
}

@ObjectType({ description: 'The result of `updatePlan`.' })
export class UpdatePlanPayload {
  @Field(() => Plan, { description: 'The plan as it is now.' })
  plan!: Plan;
}

@InputType({ description: "An organization's new plan for one product." })
export class ChangePlanInput {
  @Field(() => ID, { description: 'The organization; you must be one of its admins.' })
  organizationId!: string;

  @Field(() => ID, { description: 'The live product the plan is for.' })
  productId!: string;

  @Field(() => ID, { description: 'The plan to move to.' })
  planId!: string;
}

@ObjectType({ description: 'The result of `changePlan`.' })
export class ChangePlanPayload {
  @Field(() => PlanSubscription, { description: "The organization's plan for the product now." })
  planSubscription!: PlanSubscription;

  @Field(() => Organization, { description: 'The organization.' })
  organization!: Organization;
}

@InputType({ description: 'A new dev environment of an organization for one product.' })
export class CreateDevEnvironmentInput {
  @Field(() => ID, { description: 'The organization; you must be one of its admins.' })
  organizationId!: string;

  @Field(() => ID, { description: 'The live product the environment is for.' })
  productId!: string;

  @Field({ description: '1 to 50 characters, unique per organization and product.' })
  label!: string;

  @Field(() => ID, { nullable: true, description: 'A live app of the same organization.' })
  appId?: string | null;
}

@InputType({ description: 'Fields left out are not changed; appId: null detaches the app.' })
export class UpdateDevEnvironmentInput {
  @Field(() => ID, { description: 'The environment to change.' })
  devEnvironmentId!: string;

  @Field(() => String, {
    nullable: true,
    description: 'A new label, 1 to 50 characters, unique per organization and product.',
  })
  label?: string | null;

  @Field(() => ID, {
    nullable: true,
    description: 'A live app of the same organization to attach; null detaches the app.',
  })
  appId?: string | null;
}

@InputType({ description: 'The dev environment to delete.' })
export class DeleteDevEnvironmentInput {
  @Field(() => ID, { description: 'The environment to delete.' })
  devEnvironmentId!: string;
}

@ObjectType({ description: 'The result of `createDevEnvironment`.' })
export class CreateDevEnvironmentPayload {
  @Field(() => DevEnvironment, { description: 'The new environment.' })
  devEnvironment!: DevEnvironment;
}

@ObjectType({ description: 'The result of `updateDevEnvironment`.' })
export class UpdateDevEnvironmentPayload {
  @Field(() => DevEnvironment, { description: 'The environment as it is now.' })
  devEnvironment!: DevEnvironment;
}

@ObjectType({ description: 'The result of `deleteDevEnvironment`.' })
export class DeleteDevEnvironmentPayload {
  @Field(() => ID, { description: 'The id of the deleted environment.' })
  deletedDevEnvironmentId!: string;
}
