import {
  ArgsType,
  Field,
  Float,
  ID,
  InputType,
  Int,
  ObjectType,
  registerEnumType,
} from 'type-graphql';
import { ConnectionType, PageArgs, PageInfo } from '../../graphql/connection.js';
import { AppStatus } from '../apps/apps.entity.js';
import { Organization, OrganizationKind } from '../orgs/orgs.entity.js';
import { UsageMetric } from '../usage/usage.types.js';
import { BulkAction, BulkItemPlan, BulkItemState, BulkRun, BulkRunItem } from './staff.entity.js';
import type {
  AppSortKey,
  InventoryApp,
  InventoryOrg,
  InventoryPlan,
  InventoryProduct,
  OrgSortKey,
  SortDirection as SortDirectionName,
} from './staff.inventory.js';
import type {
  HighUsageBy,
  HighUsageReport,
  InventorySummary,
  PendingQueueReport,
  PendingRequest,
  ProductCount,
  StatusCount,
} from './staff.reports.js';
import type { CapUse, InventoryUsage } from './staff.usage.js';

export enum SortDirection {
  ASC = 'ASC',
  DESC = 'DESC',
}
registerEnumType(SortDirection, { name: 'SortDirection' });

export enum StaffAppSort {
  CREATED_AT = 'CREATED_AT',
  NAME = 'NAME',
  LAST_VERIFIED_AT = 'LAST_VERIFIED_AT',
  REQUESTS_THIS_MONTH = 'REQUESTS_THIS_MONTH',
  PERCENT_OF_CAP = 'PERCENT_OF_CAP',
  ERROR_RATE = 'ERROR_RATE',
}
registerEnumType(StaffAppSort, {
  name: 'StaffAppSort',
  valuesConfig: {
    REQUESTS_THIS_MONTH: { description: 'Requests this month (UTC).' },
    PERCENT_OF_CAP: {
      description:
        'The highest share of a plan cap used this month (`usage.percentOfCap`); apps that used nothing capped come after 0 %.',
    },
    ERROR_RATE: { description: 'Error rate over the last 30 days (`usage.errorRateLast30Days`).' },
  },
});

export enum StaffOrganizationSort {
  CREATED_AT = 'CREATED_AT',
  NAME = 'NAME',
  APP_COUNT = 'APP_COUNT',
  MEMBER_COUNT = 'MEMBER_COUNT',
  REQUESTS_THIS_MONTH = 'REQUESTS_THIS_MONTH',
  PERCENT_OF_CAP = 'PERCENT_OF_CAP',
}
registerEnumType(StaffOrganizationSort, {
  name: 'StaffOrganizationSort',
  valuesConfig: {
    REQUESTS_THIS_MONTH: { description: 'Requests of all its apps this month (UTC).' },
    PERCENT_OF_CAP: {
      description: 'The highest share of a plan cap it used this month (`usage.percentOfCap`).',
    },
  },
});

export enum HighUsageMeasure {
  REQUESTS = 'REQUESTS',
  PERCENT_OF_CAP = 'PERCENT_OF_CAP',
}
registerEnumType(HighUsageMeasure, {
  name: 'HighUsageMeasure',
  description: 'What ranks the high-usage report.',
  valuesConfig: {
    REQUESTS: { description: 'Requests this month.' },
    PERCENT_OF_CAP: { description: 'The highest share of a plan cap used this month.' },
  },
});

// The enums are the inventory's sort keys, checked by the compiler both ways.
const _appSort: Record<AppSortKey, StaffAppSort> = StaffAppSort;
const _orgSort: Record<OrgSortKey, StaffOrganizationSort> = StaffOrganizationSort;
const _direction: Record<SortDirectionName, SortDirection> = SortDirection;
const _highUsage: Record<HighUsageBy, HighUsageMeasure> = HighUsageMeasure;
void [_appSort, _orgSort, _direction, _highUsage];

@InputType({
  description:
    'Which apps: a selection (`ids`) and/or criteria; every field set must hold. Deleted apps are never included.',
})
export class StaffAppFilter {
  @Field(() => [ID], { nullable: true, description: 'Exactly these apps.' })
  ids?: string[] | null;

  @Field(() => ID, { nullable: true })
  organizationId?: string | null;

  @Field(() => ID, {
    nullable: true,
    description: 'Apps that requested the product (any status but withdrawn).',
  })
  productId?: string | null;

  @Field(() => [AppStatus], { nullable: true })
  statuses?: AppStatus[] | null;

  @Field(() => ID, { nullable: true })
  ownerId?: string | null;

  @Field(() => String, { nullable: true, description: "Part of the owner's email or name." })
  owner?: string | null;

  @Field(() => String, { nullable: true, description: "Part of the app's name." })
  search?: string | null;

  @Field(() => Date, { nullable: true })
  createdAfter?: Date | null;

  @Field(() => Date, { nullable: true })
  createdBefore?: Date | null;

  @Field(() => Date, {
    nullable: true,
    description:
      'Last verified request (the latest last-used time of its credentials) at or after.',
  })
  lastVerifiedAfter?: Date | null;

  @Field(() => Date, { nullable: true })
  lastVerifiedBefore?: Date | null;

  @Field(() => Int, {
    nullable: true,
    description: 'No verified request for this many days (nor created in them).',
  })
  inactiveDays?: number | null;

  @Field(() => Float, {
    nullable: true,
    description:
      'Error rate (errors / responses reported by gateways) over the last 30 days — today and the 29 days before it, UTC — at or over this percentage (0 to 100). Apps without responses in those days never match.',
  })
  errorRateOver?: number | null;

  @Field(() => Float, {
    nullable: true,
    description:
      "This month's use of a plan cap at or over this percentage (0 to 1000): the highest, over the products the app used this month, of its requests and units against the monthly caps of its organization's plan for the product (the lowest plan without a subscription). Apps that used nothing capped never match.",
  })
  usageOverPercentOfCap?: number | null;
}

@InputType()
export class StaffOrganizationFilter {
  @Field(() => [ID], { nullable: true })
  ids?: string[] | null;

  @Field(() => String, { nullable: true, description: 'Part of the name or slug.' })
  search?: string | null;

  @Field(() => Boolean, { nullable: true })
  verified?: boolean | null;

  @Field(() => OrganizationKind, { nullable: true })
  kind?: OrganizationKind | null;

  @Field(() => ID, { nullable: true, description: 'Subscribed to a plan of this product.' })
  productId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Subscribed to this plan.' })
  planId?: string | null;

  @Field(() => Date, { nullable: true })
  createdAfter?: Date | null;

  @Field(() => Date, { nullable: true })
  createdBefore?: Date | null;

  @Field(() => Float, {
    nullable: true,
    description:
      "The organization's use of a plan cap this month at or over this percentage (0 to 1000): the highest, over its products, of all its apps' requests and units against its plan's monthly caps.",
  })
  usageOverPercentOfCap?: number | null;
}

@InputType()
export class StaffAuditFilter {
  @Field(() => ID, { nullable: true })
  actorId?: string | null;

  @Field(() => ID, { nullable: true })
  organizationId?: string | null;

  @Field(() => ID, {
    nullable: true,
    description: 'Entries about the app (its own, its credentials and requests).',
  })
  appId?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'An action (`app.suspend`) or a prefix ending in a dot (`bulk_run.`).',
  })
  action?: string | null;

  @Field(() => Date, { nullable: true })
  from?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Before this time.' })
  to?: Date | null;
}

@ArgsType()
export class StaffAppsArgs extends PageArgs {
  @Field(() => StaffAppFilter, { nullable: true })
  filter?: StaffAppFilter | null;

  @Field(() => StaffAppSort, { defaultValue: StaffAppSort.CREATED_AT })
  sort: StaffAppSort = StaffAppSort.CREATED_AT;

  @Field(() => SortDirection, { defaultValue: SortDirection.DESC })
  direction: SortDirection = SortDirection.DESC;
}

@ArgsType()
export class StaffOrganizationsArgs extends PageArgs {
  @Field(() => StaffOrganizationFilter, { nullable: true })
  filter?: StaffOrganizationFilter | null;

  @Field(() => StaffOrganizationSort, { defaultValue: StaffOrganizationSort.CREATED_AT })
  sort: StaffOrganizationSort = StaffOrganizationSort.CREATED_AT;

  @Field(() => SortDirection, { defaultValue: SortDirection.DESC })
  direction: SortDirection = SortDirection.DESC;
}

@ArgsType()
export class StaffHighUsageArgs {
  @Field(() => HighUsageMeasure, { defaultValue: HighUsageMeasure.REQUESTS })
  by: HighUsageMeasure = HighUsageMeasure.REQUESTS;

  @Field(() => Int, { defaultValue: 20, description: 'How many apps (1 to 100).' })
  top = 20;

  @Field(() => StaffAppFilter, { nullable: true, description: 'Only apps matching this.' })
  filter?: StaffAppFilter | null;
}

@ArgsType()
export class StaffAuditLogArgs extends PageArgs {
  @Field(() => StaffAuditFilter, { nullable: true })
  filter?: StaffAuditFilter | null;
}

@ObjectType('StaffCapUse', {
  description: 'The plan cap an app or organization used the largest share of this month.',
})
export class StaffCapUse implements CapUse {
  @Field(() => ID)
  productId!: string;

  @Field()
  productName!: string;

  @Field(() => ID)
  planId!: string;

  @Field()
  planName!: string;

  @Field(() => UsageMetric)
  metric!: UsageMetric;

  @Field(() => Float, { description: 'Used this month.' })
  used!: number;

  @Field(() => Float)
  cap!: number;

  @Field(() => Float, { description: 'used / cap × 100.' })
  percentage!: number;
}

@ObjectType('StaffUsage', {
  description:
    "An app's or organization's usage as the staff inventory shows it: this month (UTC), its largest share of a plan cap, and its error rate over the last 30 days.",
})
export class StaffUsage implements InventoryUsage {
  @Field({ description: 'The billing month, "YYYY-MM" (UTC).' })
  month!: string;

  @Field(() => Float, { description: 'Requests verified this month.' })
  requests!: number;

  @Field(() => Float, { description: 'Units (records) delivered this month.' })
  units!: number;

  @Field(() => Float, { description: 'Responses with a status of 400 or more this month.' })
  errors!: number;

  @Field(() => Float, { description: 'Responses reported by gateways this month.' })
  responses!: number;

  @Field(() => Float, { description: 'errors / responses this month (0 without responses).' })
  errorRate!: number;

  @Field(() => Float, {
    description:
      'errors / responses over the last 30 days (today and the 29 days before it, UTC); 0 without responses. The `errorRateOver` filter reads it.',
  })
  errorRateLast30Days!: number;

  @Field(() => Float, {
    nullable: true,
    description:
      'The largest share of a plan cap used this month, in % (`highestCap`); null when nothing used this month has a cap.',
  })
  percentOfCap!: number | null;

  @Field(() => StaffCapUse, { nullable: true })
  highestCap!: StaffCapUse | null;

  @Field({
    description:
      'percentOfCap is at or over 80 %: the organization is worth suggesting a higher plan to.',
  })
  suggestUpgrade!: boolean;
}

@ObjectType('StaffAppProduct')
export class StaffAppProduct implements InventoryProduct {
  @Field(() => ID)
  productId!: string;

  @Field()
  productName!: string;

  @Field({
    description: "The app's request for the product: PENDING, APPROVED, REJECTED, REVOKED.",
  })
  status!: string;
}

@ObjectType({ description: 'An app in the staff inventory. Never a secret.' })
export class StaffApp implements InventoryApp {
  @Field(() => ID)
  id!: string;

  @Field()
  name!: string;

  @Field(() => AppStatus)
  status!: AppStatus;

  @Field(() => String, { nullable: true })
  statusReason!: string | null;

  @Field()
  createdAt!: Date;

  @Field()
  updatedAt!: Date;

  @Field(() => Date, {
    nullable: true,
    description: 'The last verified request: the latest last-used time of its credentials.',
  })
  lastVerifiedAt!: Date | null;

  @Field(() => ID)
  organizationId!: string;

  @Field()
  organizationName!: string;

  @Field()
  organizationVerified!: boolean;

  @Field(() => ID, { nullable: true })
  projectId!: string | null;

  @Field(() => ID)
  ownerId!: string;

  @Field()
  ownerName!: string;

  @Field()
  ownerEmail!: string;

  @Field(() => [StaffAppProduct])
  products!: StaffAppProduct[];
}

@ObjectType()
export class StaffAppConnection {
  @Field(() => [StaffApp])
  nodes!: StaffApp[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;

  @Field(() => Int)
  totalCount!: number;
}

@ObjectType('StaffOrganizationPlan')
export class StaffOrganizationPlan implements InventoryPlan {
  @Field(() => ID)
  productId!: string;

  @Field()
  productName!: string;

  @Field(() => ID)
  planId!: string;

  @Field()
  planName!: string;
}

@ObjectType({ description: 'An organization in the staff inventory.' })
export class StaffOrganization implements InventoryOrg {
  @Field(() => ID)
  id!: string;

  @Field()
  name!: string;

  @Field()
  slug!: string;

  @Field(() => OrganizationKind)
  kind!: OrganizationKind;

  @Field(() => Date, { nullable: true })
  verifiedAt!: Date | null;

  @Field()
  createdAt!: Date;

  @Field(() => Int)
  memberCount!: number;

  @Field(() => Int)
  appCount!: number;

  @Field(() => [StaffOrganizationPlan], { description: 'Its plan per product.' })
  plans!: StaffOrganizationPlan[];
}

@ObjectType()
export class StaffOrganizationConnection {
  @Field(() => [StaffOrganization])
  nodes!: StaffOrganization[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;

  @Field(() => Int)
  totalCount!: number;
}

export const BulkRunConnection = ConnectionType(BulkRun, 'BulkRun');
export type BulkRunConnection = InstanceType<typeof BulkRunConnection>;

@ObjectType()
export class BulkRunItemConnection {
  @Field(() => [BulkRunItem])
  nodes!: BulkRunItem[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;

  @Field(() => Int)
  totalCount!: number;
}

@ArgsType()
export class BulkRunItemsArgs extends PageArgs {
  @Field(() => BulkItemPlan, { nullable: true })
  plan?: BulkItemPlan | null;

  @Field(() => BulkItemState, { nullable: true })
  state?: BulkItemState | null;
}

@InputType()
export class PlanBulkRunInput {
  @Field(() => BulkAction)
  action!: BulkAction;

  @Field(() => StaffAppFilter, { description: 'The apps: a selection (`ids`) or criteria.' })
  criteria!: StaffAppFilter;

  @Field({ description: 'Why; owners read it in their notices (suspension, rejection, rotation).' })
  reason!: string;

  @Field(() => Int, {
    nullable: true,
    description: 'ROTATE_CREDENTIALS only: how long the old credentials keep working (0 to 30).',
  })
  graceDays?: number | null;
}

@ObjectType()
export class PlanBulkRunPayload {
  @Field(() => BulkRun, { description: 'The dry run: its plan is in `items`; nothing changed.' })
  run!: BulkRun;
}

@InputType()
export class StartBulkRunInput {
  @Field(() => ID, { description: 'A dry run (PLANNED).' })
  runId!: string;
}

@ObjectType()
export class StartBulkRunPayload {
  @Field(() => BulkRun)
  run!: BulkRun;
}

@InputType()
export class SetOrganizationVerifiedInput {
  @Field(() => ID)
  organizationId!: string;

  @Field()
  verified!: boolean;

  @Field()
  reason!: string;
}

@ObjectType()
export class SetOrganizationVerifiedPayload {
  @Field(() => Organization)
  organization!: Organization;
}

@ObjectType('StaffStatusCount')
export class StaffStatusCount implements StatusCount {
  @Field()
  status!: string;

  @Field(() => Int)
  count!: number;
}

@ObjectType('StaffProductCount')
export class StaffProductCount implements ProductCount {
  @Field(() => ID)
  productId!: string;

  @Field()
  productName!: string;

  @Field(() => Int)
  pending!: number;

  @Field(() => Int)
  approved!: number;

  @Field(() => Int)
  rejected!: number;

  @Field(() => Int)
  revoked!: number;
}

@ObjectType({ description: 'The app inventory report.' })
export class StaffInventorySummary implements InventorySummary {
  @Field(() => Int)
  apps!: number;

  @Field(() => Int)
  organizations!: number;

  @Field(() => Int)
  verifiedOrganizations!: number;

  @Field(() => [StaffStatusCount])
  appsByStatus!: StaffStatusCount[];

  @Field(() => [StaffProductCount])
  grantsByProduct!: StaffProductCount[];

  @Field(() => Int, { description: 'Apps with no verified request in 30 days.' })
  inactiveApps30d!: number;
}

@ObjectType('StaffPendingRequest')
export class StaffPendingRequest implements PendingRequest {
  @Field(() => ID)
  grantId!: string;

  @Field(() => ID)
  appId!: string;

  @Field()
  appName!: string;

  @Field(() => ID)
  organizationId!: string;

  @Field()
  organizationName!: string;

  @Field(() => ID)
  productId!: string;

  @Field()
  productName!: string;

  @Field()
  requestedAt!: Date;

  @Field(() => Float)
  ageHours!: number;
}

@ObjectType({ description: 'The pending queue with its age and time-to-decision statistics.' })
export class StaffPendingQueueReport implements PendingQueueReport {
  @Field(() => Int)
  pendingCount!: number;

  @Field(() => Date, { nullable: true })
  oldestRequestedAt!: Date | null;

  @Field(() => Float, { nullable: true })
  medianAgeHours!: number | null;

  @Field(() => Int)
  windowDays!: number;

  @Field(() => Int, { description: 'Requests staff decided in the window.' })
  decidedCount!: number;

  @Field(() => Float, { nullable: true })
  averageHoursToDecision!: number | null;

  @Field(() => Float, { nullable: true })
  medianHoursToDecision!: number | null;

  @Field(() => Float, { nullable: true })
  p90HoursToDecision!: number | null;

  @Field(() => [StaffPendingRequest], { description: 'The oldest pending requests first.' })
  requests!: StaffPendingRequest[];
}

@ObjectType({
  description:
    'The high-usage report: the apps that used the most this month (UTC), by requests or by their largest share of a plan cap.',
})
export class StaffHighUsageReport implements HighUsageReport {
  @Field({ description: 'The billing month, "YYYY-MM" (UTC).' })
  month!: string;

  @Field(() => HighUsageMeasure)
  by!: HighUsageMeasure;

  @Field(() => Float, {
    description: 'The share of a plan cap (%) from which an upgrade is suggested (80).',
  })
  upgradeThreshold!: number;

  @Field(() => Int, {
    description:
      'Apps matching the filter at or over the threshold this month (all of them, not only the top).',
  })
  upgradeSuggestedCount!: number;

  @Field(() => [StaffApp], {
    description:
      'The top apps that used anything this month, most first; each with `usage.suggestUpgrade`.',
  })
  apps!: StaffApp[];
}
