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
  @Field(() => Boolean, { nullable: true })
  requireVerifiedOrg?: boolean | null;

  @Field(() => Int, { nullable: true, description: 'A rank of an existing plan.' })
  minimumPlanRank?: number | null;

  @Field(() => PermissionLevel, { nullable: true })
  maximumPermissionLevel?: PermissionLevel | null;

  @Field(() => [String], {
    nullable: true,
    description: 'Domains such as `example.com`; at most 50.',
  })
  emailDomains?: string[] | null;
}

@InputType()
export class CreateProductInput {
  @Field({ description: '1 to 100 characters.' })
  name!: string;

  @Field({
    description: '1 to 50 characters: a-z, 0-9 and `-`; unique, archived products included.',
  })
  slug!: string;

  @Field(() => String, { nullable: true })
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
  @Field(() => ID)
  productId!: string;

  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => String, { nullable: true })
  slug?: string | null;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => [String], { nullable: true })
  pathPrefixes?: string[] | null;

  @Field(() => [String], { nullable: true })
  dmPathPrefixes?: string[] | null;

  @Field(() => Boolean, { nullable: true })
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

@InputType()
export class ArchiveProductInput {
  @Field(() => ID)
  productId!: string;
}

@ObjectType()
export class CreateProductPayload {
  @Field(() => ApiProduct)
  product!: ApiProduct;
}

@ObjectType()
export class UpdateProductPayload {
  @Field(() => ApiProduct)
  product!: ApiProduct;
}

@ObjectType()
export class ArchiveProductPayload {
  @Field(() => ApiProduct)
  product!: ApiProduct;
}

@InputType()
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
  @Field(() => ID)
  planId!: string;

  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => Int, { nullable: true })
  rank?: number | null;

  @Field(() => Number, { nullable: true })
  monthlyRequestCap?: number | null;

  @Field(() => Number, { nullable: true })
  monthlyUnitCap?: number | null;

  @Field(() => Int, { nullable: true })
  rateLimitRequests?: number | null;

  @Field(() => Int, { nullable: true })
  rateLimitWindowSeconds?: number | null;

  @Field(() => Int, { nullable: true })
  maxApps?: number | null;

  @Field(() => Int, { nullable: true })
  maxDevEnvironments?: number | null;
}

@ObjectType()
export class CreatePlanPayload {
  @Field(() => Plan)
  plan!: Plan;
}

@ObjectType()
export class UpdatePlanPayload {
  @Field(() => Plan)
  plan!: Plan;
}

@InputType()
export class ChangePlanInput {
  @Field(() => ID)
  organizationId!: string;

  @Field(() => ID)
  productId!: string;

  @Field(() => ID)
  planId!: string;
}

@ObjectType()
export class ChangePlanPayload {
  @Field(() => PlanSubscription)
  planSubscription!: PlanSubscription;

  @Field(() => Organization)
  organization!: Organization;
}

@InputType()
export class CreateDevEnvironmentInput {
  @Field(() => ID)
  organizationId!: string;

  @Field(() => ID)
  productId!: string;

  @Field({ description: '1 to 50 characters, unique per organization and product.' })
  label!: string;

  @Field(() => ID, { nullable: true, description: 'A live app of the same organization.' })
  appId?: string | null;
}

@InputType({ description: 'Fields left out are not changed; appId: null detaches the app.' })
export class UpdateDevEnvironmentInput {
  @Field(() => ID)
  devEnvironmentId!: string;

  @Field(() => String, { nullable: true })
  label?: string | null;

  @Field(() => ID, { nullable: true })
  appId?: string | null;
}

@InputType()
export class DeleteDevEnvironmentInput {
  @Field(() => ID)
  devEnvironmentId!: string;
}

@ObjectType()
export class CreateDevEnvironmentPayload {
  @Field(() => DevEnvironment)
  devEnvironment!: DevEnvironment;
}

@ObjectType()
export class UpdateDevEnvironmentPayload {
  @Field(() => DevEnvironment)
  devEnvironment!: DevEnvironment;
}

@ObjectType()
export class DeleteDevEnvironmentPayload {
  @Field(() => ID)
  deletedDevEnvironmentId!: string;
}
