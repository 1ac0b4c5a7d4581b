import {
  BigIntType,
  Entity,
  Enum,
  Index,
  ManyToOne,
  Property,
  Unique,
  type Ref,
} from '@mikro-orm/core';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { BaseEntity } from '../../db/base.entity.js';
import { PermissionLevel } from '../apps/apps.entity.js';
import { Organization } from '../orgs/orgs.entity.js';
import { App } from '../apps/apps.entity.js';
import { Node } from '../../graphql/node.types.js';

export enum ApprovalMode {
  AUTO = 'AUTO',
  MANUAL = 'MANUAL',
  CONDITIONAL = 'CONDITIONAL',
}
registerEnumType(ApprovalMode, {
  name: 'ApprovalMode',
  description:
    'AUTO approves every request; MANUAL sends every request to staff; CONDITIONAL approves requests that meet the rules and sends the rest to staff.',
  valuesConfig: {
    AUTO: { description: 'Every request is approved at once.' },
    MANUAL: { description: 'Every request waits for staff.' },
    CONDITIONAL: {
      description:
        'Requests that meet `approvalRules` are approved at once; the rest wait for staff.',
    },
  },
});

/** Conditions of a CONDITIONAL product; a request meeting every set condition is approved. */
export interface ApprovalRules {
  /** The organization must be verified by staff. */
  requireVerifiedOrg?: boolean;
  /** The organization's plan for this product must have at least this rank. */
  minimumPlanRank?: number | null;
  /** The app's permission level must be at most this. */
  maximumPermissionLevel?: PermissionLevel | null;
  /** The app owner's email domain must be one of these. */
  emailDomains?: string[];
}

@ObjectType({ implements: Node, description: 'An API product that apps request access to.' })
@Entity()
export class ApiProduct extends BaseEntity {
  @Field({ description: "The product's name, 1 to 100 characters." })
  @Property({ type: 'text' })
  name: string;

  @Field({
    description: 'A unique, URL-friendly name (a-z, 0-9 and `-`), used in catalogue links.',
  })
  @Property({ type: 'text', unique: true })
  slug: string;

  @Field({
    description: 'What the product offers, at most 2,000 characters; empty when not given.',
  })
  @Property({ type: 'text' })
  description: string = '';

  @Field(() => [String], { description: 'Gateway path prefixes that belong to this product.' })
  @Property({ type: 'text[]' })
  pathPrefixes: string[] = [];

  @Field(() => [String], { description: 'Path prefixes that need the READ_WRITE_DM level.' })
  @Property({ type: 'text[]' })
  dmPathPrefixes: string[] = [];

  @Field({ description: 'Only apps inside a project may be granted this product.' })
  @Property({ type: 'boolean' })
  requiresProject: boolean = false;

  @Field(() => ApprovalMode, { description: 'How requests for the product are decided.' })
  @Enum({ items: () => ApprovalMode, nativeEnumName: 'approval_mode' })
  approvalMode: ApprovalMode = ApprovalMode.MANUAL;

  @Property({ type: 'jsonb' })
  approvalRules: ApprovalRules = {};

  @Field(() => Date, {
    nullable: true,
    description: 'When staff archived it; null while it is live.',
  })
  @Property({ type: 'timestamptz', nullable: true })
  archivedAt: Date | null = null;

  @Field({ description: 'When the product was last changed.' })
  @Property({ type: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Date = new Date();

  constructor(name: string, slug: string) {
    super('prd');
    this.name = name;
    this.slug = slug;
  }
}

@ObjectType({ implements: Node, description: 'A tier of limits (Free, Basic, Pro, Enterprise …).' })
@Entity()
export class Plan extends BaseEntity {
  @Field({ description: "The plan's name, unique (e.g. `Free`, `Pro`)." })
  @Property({ type: 'text', unique: true })
  name: string;

  @Field(() => Int, { description: 'Higher ranks are higher tiers.' })
  @Property({ type: 'integer', unique: true })
  rank: number;

  @Field(() => Number, { nullable: true, description: 'Requests per month; null is unlimited.' })
  @Property({ type: new BigIntType('number'), nullable: true })
  monthlyRequestCap: number | null = null;

  @Field(() => Number, {
    nullable: true,
    description: 'Units (records) per month; null is unlimited.',
  })
  @Property({ type: new BigIntType('number'), nullable: true })
  monthlyUnitCap: number | null = null;

  @Field(() => Int, { description: 'Requests an app may make per rate-limit window.' })
  @Property({ type: 'integer' })
  rateLimitRequests: number;

  @Field(() => Int, { description: 'Length of the rate-limit window in seconds.' })
  @Property({ type: 'integer' })
  rateLimitWindowSeconds: number;

  @Field(() => Int, { description: 'How many live apps an organization on this plan may have.' })
  @Property({ type: 'integer' })
  maxApps: number;

  @Field(() => Int, {
    description: 'How many dev environments an organization on this plan may have per product.',
  })
  @Property({ type: 'integer' })
  maxDevEnvironments: number;

  constructor(input: {
    name: string;
    rank: number;
    monthlyRequestCap: number | null;
    monthlyUnitCap: number | null;
    rateLimitRequests: number;
    rateLimitWindowSeconds: number;
    maxApps: number;
    maxDevEnvironments: number;
  }) {
    super('pln');
    this.name = input.name;
    this.rank = input.rank;
    this.monthlyRequestCap = input.monthlyRequestCap;
    this.monthlyUnitCap = input.monthlyUnitCap;
    this.rateLimitRequests = input.rateLimitRequests;
    this.rateLimitWindowSeconds = input.rateLimitWindowSeconds;
    this.maxApps = input.maxApps;
    this.maxDevEnvironments = input.maxDevEnvironments;
  }
}

/** An organization's plan for one product. */
@ObjectType({ implements: Node, description: "An organization's plan for one product." })
@Entity()
@Unique({ properties: ['organization', 'product'] })
export class PlanSubscription extends BaseEntity {
  @ManyToOne(() => Organization, { ref: true, deleteRule: 'cascade' })
  organization: Ref<Organization>;

  @ManyToOne(() => ApiProduct, { ref: true, deleteRule: 'cascade' })
  product: Ref<ApiProduct>;

  @ManyToOne(() => Plan, { ref: true, deleteRule: 'restrict' })
  plan: Ref<Plan>;

  @Field({ description: 'When the organization last changed plan for this product.' })
  @Property({ type: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Date = new Date();

  constructor(organization: Ref<Organization>, product: Ref<ApiProduct>, plan: Ref<Plan>) {
    super('sub');
    this.organization = organization;
    this.product = product;
    this.plan = plan;
  }
}

/** A labelled development environment of an organization for one product, with one app. */
@ObjectType({
  implements: Node,
  description: 'A labelled development environment of an organization for one product.',
})
@Entity()
@Index({ properties: ['organization', 'product'] })
@Unique({ properties: ['organization', 'product', 'label'] })
export class DevEnvironment extends BaseEntity {
  @ManyToOne(() => Organization, { ref: true, deleteRule: 'cascade' })
  organization: Ref<Organization>;

  @ManyToOne(() => ApiProduct, { ref: true, deleteRule: 'cascade' })
  product: Ref<ApiProduct>;

  @Field({
    description:
      "The environment's label, 1 to 50 characters, unique per organization and product.",
  })
  @Property({ type: 'text' })
  label: string;

  @ManyToOne(() => App, { ref: true, nullable: true, deleteRule: 'set null' })
  app: Ref<App> | null = null;

  @Field({ description: 'When the environment was last changed.' })
  @Property({ type: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Date = new Date();

  constructor(organization: Ref<Organization>, product: Ref<ApiProduct>, label: string) {
    super('env');
    this.organization = organization;
    this.product = product;
    this.label = label;
  }
}
