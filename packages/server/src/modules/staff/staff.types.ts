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
registerEnumType(SortDirection, {
  name: 'SortDirection',
  description: 'The order of a sorted list.',
  valuesConfig: {
    ASC: { description: 'Smallest (or oldest, or A) first.' },
    DESC: { description: 'Largest (or newest, or Z) first.' },
  },
});

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
  description: 'What the staff app inventory is sorted by.',
  valuesConfig: {
    CREATED_AT: { description: 'When the app was created.' },
    NAME: { description: "The app's name." },
    LAST_VERIFIED_AT: { description: 'Its last verified request (`lastVerifiedAt`).' },
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
  description: 'What the staff organization inventory is sorted by.',
  valuesConfig: {
    CREATED_AT: { description: 'When the organization was created.' },
    NAME: { description: "The organization's name." },
    APP_COUNT: { description: 'How many live apps it has.' },
    MEMBER_COUNT: { description: 'How many members it has.' },
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

  @Field(() => ID, { nullable: true, description: 'Apps of this organization.' })
  organizationId?: string | null;

  @Field(() => ID, {
    nullable: true,
    description: 'Apps that requested the product (any status but withdrawn).',
  })
  productId?: string | null;

  @Field(() => [AppStatus], { nullable: true, description: 'Apps in any of these statuses.' })
  statuses?: AppStatus[] | null;

  @Field(() => ID, { nullable: true, description: 'Apps this user owns.' })
  ownerId?: string | null;

  @Field(() => String, { nullable: true, description: "Part of the owner's email or name." })
  owner?: string | null;

  @Field(() => String, { nullable: true, description: "Part of the app's name." })
  search?: string | null;

  @Field(() => Date, { nullable: true, description: 'Created at or after this time.' })
  createdAfter?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Created before this time.' })
  createdBefore?: Date | null;

  @Field(() => Date, {
    nullable: true,
    description:
      'Last verified request (the latest last-used time of its credentials) at or after.',
  })
  lastVerifiedAfter?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Last verified request before this time.' })
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

@InputType({ description: 'Which organizations: every field set must hold.' })
export class StaffOrganizationFilter {
  @Field(() => [ID], { nullable: true, description: 'Exactly these organizations.' })
  ids?: string[] | null;

  @Field(() => String, { nullable: true, description: 'Part of the name or slug.' })
  search?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'Verified by staff (true) or not (false).' })
  verified?: boolean | null;

  @Field(() => OrganizationKind, {
    nullable: true,
    description: 'Personal or team organizations only.',
  })
  kind?: OrganizationKind | null;

  @Field(() => ID, { nullable: true, description: 'Subscribed to a plan of this product.' })
  productId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Subscribed to this plan.' })
  planId?: string | null;

  @Field(() => Date, { nullable: true, description: 'Created at or after this time.' })
  createdAfter?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Created before this time.' })
  createdBefore?: Date | null;

  @Field(() => Float, {
    nullable: true,
    description:
      "The organization's use of a plan cap this month at or over this percentage (0 to 1000): the highest, over its products, of all its apps' requests and units against its plan's monthly caps.",
  })
  usageOverPercentOfCap?: number | null;
}

@InputType({ description: 'Which audit entries: every field set must hold.' })
export class StaffAuditFilter {
  @Field(() => ID, { nullable: true, description: 'Entries of what this user did.' })
  actorId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Entries of this organization.' })
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

  @Field(() => Date, { nullable: true, description: 'At or after this time.' })
  from?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Before this time.' })
  to?: Date | null;
}

@ArgsType()
export class StaffAppsArgs extends PageArgs {
  @Field(() => StaffAppFilter, {
    nullable: true,
    description: 'Which apps; every live app when null.',
  })
  filter?: StaffAppFilter | null;

  @Field(() => StaffAppSort, {
    defaultValue: StaffAppSort.CREATED_AT,
    description: 'What to sort by.',
  })
  sort: StaffAppSort = StaffAppSort.CREATED_AT;

  @Field(() => SortDirection, { defaultValue: SortDirection.DESC, description: 'The sort order.' })
  direction: SortDirection = SortDirection.DESC;
}

@ArgsType()
export class StaffOrganizationsArgs extends PageArgs {
  @Field(() => StaffOrganizationFilter, {
    nullable: true,
    description: 'Which organizations; all when null.',
  })
  filter?: StaffOrganizationFilter | null;

  @Field(() => StaffOrganizationSort, {
    defaultValue: StaffOrganizationSort.CREATED_AT,
    description: 'What to sort by.',
  })
  sort: StaffOrganizationSort = StaffOrganizationSort.CREATED_AT;

  @Field(() => SortDirection, { defaultValue: SortDirection.DESC, description: 'The sort order.' })
  direction: SortDirection = SortDirection.DESC;
}

@ArgsType()
export class StaffHighUsageArgs {
  @Field(() => HighUsageMeasure, {
    defaultValue: HighUsageMeasure.REQUESTS,
    description: 'What ranks the apps.',
  })
  by: HighUsageMeasure = HighUsageMeasure.REQUESTS;

  @Field(() => Int, { defaultValue: 20, description: 'How many apps (1 to 100).' })
  top = 20;

  @Field(() => StaffAppFilter, { nullable: true, description: 'Only apps matching this.' })
  filter?: StaffAppFilter | null;
}

@ArgsType()
export class StaffAuditLogArgs extends PageArgs {
  @Field(() => StaffAuditFilter, { nullable: true, description: 'Which entries; all when null.' })
  filter?: StaffAuditFilter | null;
}

@ObjectType('StaffCapUse', {
  description: 'The plan cap an app or organization used the largest share of this month.',
})
export class StaffCapUse implements CapUse {
  @Field(() => ID, { description: 'The product whose plan has the cap.' })
  productId!: string;

  @Field({ description: "The product's name." })
  productName!: string;

  @Field(() => ID, { description: 'The plan with the cap.' })
  planId!: string;

  @Field({ description: "The plan's name." })
  planName!: string;

  @Field(() => UsageMetric, { description: 'Whether the cap is on requests or units.' })
  metric!: UsageMetric;

  @Field(() => Float, { description: 'Used this month.' })
  used!: number;

  @Field(() => Float, { description: 'The monthly cap.' })
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

  @Field(() => StaffCapUse, {
    nullable: true,
    description: 'The cap behind `percentOfCap`; null when nothing used this month has a cap.',
  })
  highestCap!: StaffCapUse | null;

  @Field({
    description:
      'percentOfCap is at or over 80 %: the organization is worth suggesting a higher plan to.',
  })
  suggestUpgrade!: boolean;
}

@ObjectType('StaffAppProduct', {
  description: 'A product an app asked for, with the state of its request.',
})
export class StaffAppProduct implements InventoryProduct {
  @Field(() => ID, { description: 'The product.' })
  productId!: string;

  @Field({ description: "The product's name." })
  productName!: string;

  @Field({
    description: "The app's request for the product: PENDING, APPROVED, REJECTED, REVOKED.",
  })
  status!: string;
}

@ObjectType({ description: 'An app in the staff inventory. Never a secret.' })
export class StaffApp implements InventoryApp {
  @Field(() => ID, { description: "The app's id." })
  id!: string;

  @Field({ description: "The app's name." })
  name!: string;

  @Field(() => AppStatus, { description: "The app's status." })
  status!: AppStatus;

  @Field(() => String, {
    nullable: true,
    description: 'Why staff gave the app its status; null when ACTIVE or none was given.',
  })
  statusReason!: string | null;

  @Field({ description: 'When the app was created.' })
  createdAt!: Date;

  @Field({ description: 'When the app was last changed.' })
  updatedAt!: Date;

  @Field(() => Date, {
    nullable: true,
    description: 'The last verified request: the latest last-used time of its credentials.',
  })
  lastVerifiedAt!: Date | null;

  @Field(() => ID, { description: "The app's organization." })
  organizationId!: string;

  @Field({ description: "The organization's name." })
  organizationName!: string;

  @Field({ description: 'Whether staff verified the organization.' })
  organizationVerified!: boolean;

  @Field(() => ID, { nullable: true, description: "The app's project; null for a standalone app." })
  projectId!: string | null;

  @Field(() => ID, { description: "The app's owner." })
  ownerId!: string;

  @Field({ description: "The owner's name." })
  ownerName!: string;

  @Field({ description: "The owner's email address." })
  ownerEmail!: string;

  @Field(() => [StaffAppProduct], {
    description: 'The products the app asked for (withdrawn requests left out), with their state.',
  })
  products!: StaffAppProduct[];
}

@ObjectType({ description: 'A page of the staff app inventory.' })
export class StaffAppConnection {
  @Field(() => [StaffApp], { description: 'The apps of this page.' })
  nodes!: StaffApp[];

  @Field(() => PageInfo, { description: 'Whether another page follows, and its cursor.' })
  pageInfo!: PageInfo;

  @Field(() => Int, { description: 'How many apps match the filter (all pages).' })
  totalCount!: number;
}

@ObjectType('StaffOrganizationPlan', { description: "An organization's plan for one product." })
export class StaffOrganizationPlan implements InventoryPlan {
  @Field(() => ID, { description: 'The product.' })
  productId!: string;

  @Field({ description: "The product's name." })
  productName!: string;

  @Field(() => ID, { description: 'The plan.' })
  planId!: string;

  @Field({ description: "The plan's name." })
  planName!: string;
}

@ObjectType({ description: 'An organization in the staff inventory.' })
export class StaffOrganization implements InventoryOrg {
  @Field(() => ID, { description: "The organization's id." })
  id!: string;

  @Field({ description: "The organization's name." })
  name!: string;

  @Field({ description: "The organization's slug." })
  slug!: string;

  @Field(() => OrganizationKind, { description: 'Personal or team.' })
  kind!: OrganizationKind;

  @Field(() => Date, {
    nullable: true,
    description: 'When staff verified it; null when not verified.',
  })
  verifiedAt!: Date | null;

  @Field({ description: 'When it was created.' })
  createdAt!: Date;

  @Field(() => Int, { description: 'How many members it has.' })
  memberCount!: number;

  @Field(() => Int, { description: 'How many live apps it has.' })
  appCount!: number;

  @Field(() => [StaffOrganizationPlan], { description: 'Its plan per product.' })
  plans!: StaffOrganizationPlan[];
}

@ObjectType({ description: 'A page of the staff organization inventory.' })
export class StaffOrganizationConnection {
  @Field(() => [StaffOrganization], { description: 'The organizations of this page.' })
  nodes!: StaffOrganization[];

  @Field(() => PageInfo, { description: 'Whether another page follows, and its cursor.' })
  pageInfo!: PageInfo;

  @Field(() => Int, { description: 'How many organizations match the filter (all pages).' })
  totalCount!: number;
}

export const BulkRunConnection = ConnectionType(BulkRun, 'BulkRun');
export type BulkRunConnection = InstanceType<typeof BulkRunConnection>;

@ObjectType({ description: 'A page of the apps of a bulk run, in plan order.' })
export class BulkRunItemConnection {
  @Field(() => [BulkRunItem], { description: 'The items of this page.' })
  nodes!: BulkRunItem[];

  @Field(() => PageInfo, { description: 'Whether another page follows, and its cursor.' })
  pageInfo!: PageInfo;

  @Field(() => Int, { description: 'How many items match (all pages).' })
  totalCount!: number;
}

@ArgsType()
export class BulkRunItemsArgs extends PageArgs {
  @Field(() => BulkItemPlan, {
    nullable: true,
    description: 'Only items with this plan; all when null.',
  })
  plan?: BulkItemPlan | null;

  @Field(() => BulkItemState, {
    nullable: true,
    description: 'Only items in this state; all when null.',
  })
  state?: BulkItemState | null;
}

@InputType({ description: 'The dry run of a bulk operation: the action, the apps and why.' })
export class PlanBulkRunInput {
  @Field(() => BulkAction, { description: 'What to do to each app.' })
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

@ObjectType({ description: 'The result of `planBulkRun`.' })
export class PlanBulkRunPayload {
  @Field(() => BulkRun, { description: 'The dry run: its plan is in `items`; nothing changed.' })
  run!: BulkRun;
}

@InputType({ description: 'The dry run to run for real.' })
export class StartBulkRunInput {
  @Field(() => ID, { description: 'A dry run (PLANNED).' })
  runId!: string;
}

@ObjectType({ description: 'The result of `startBulkRun`.' })
export class StartBulkRunPayload {
  @Field(() => BulkRun, { description: 'The run, QUEUED for a worker.' })
  run!: BulkRun;
}

@InputType({ description: 'The organization, whether it is verified, and why.' })
export class SetOrganizationVerifiedInput {
  @Field(() => ID, { description: 'The organization.' })
  organizationId!: string;

  @Field({ description: 'true to verify it, false to take the verification back.' })
  verified!: boolean;

  @Field({ description: 'Why (3 to 2,000 characters); kept in the audit log.' })
  reason!: string;
}

@ObjectType({ description: 'The result of `setOrganizationVerified`.' })
export class SetOrganizationVerifiedPayload {
  @Field(() => Organization, { description: 'The organization as it is now.' })
  organization!: Organization;
}

@ObjectType('StaffStatusCount', { description: 'How many live apps have one status.' })
export class StaffStatusCount implements StatusCount {
  @Field({ description: 'An app status.' })
  status!: string;

  @Field(() => Int, { description: 'How many live apps have it.' })
  count!: number;
}

@ObjectType('StaffProductCount', { description: "A product's requests of live apps, by status." })
export class StaffProductCount implements ProductCount {
  @Field(() => ID, { description: 'The product.' })
  productId!: string;

  @Field({ description: "The product's name." })
  productName!: string;

  @Field(() => Int, { description: 'Requests waiting for staff.' })
  pending!: number;

  @Field(() => Int, { description: 'Approved grants.' })
  approved!: number;

  @Field(() => Int, { description: 'Rejected requests.' })
  rejected!: number;

  @Field(() => Int, { description: 'Revoked grants.' })
  revoked!: number;
}

@ObjectType({ description: 'The app inventory report.' })
export class StaffInventorySummary implements InventorySummary {
  @Field(() => Int, { description: 'Live apps, all statuses.' })
  apps!: number;

  @Field(() => Int, { description: 'Organizations.' })
  organizations!: number;

  @Field(() => Int, { description: 'Organizations verified by staff.' })
  verifiedOrganizations!: number;

  @Field(() => [StaffStatusCount], { description: 'Live apps per status.' })
  appsByStatus!: StaffStatusCount[];

  @Field(() => [StaffProductCount], {
    description: "Each product's requests of live apps, by status.",
  })
  grantsByProduct!: StaffProductCount[];

  @Field(() => Int, { description: 'Apps with no verified request in 30 days.' })
  inactiveApps30d!: number;
}

@ObjectType('StaffPendingRequest', {
  description: 'A pending product request in the staff queue report.',
})
export class StaffPendingRequest implements PendingRequest {
  @Field(() => ID, { description: 'The pending grant.' })
  grantId!: string;

  @Field(() => ID, { description: 'The app that asks.' })
  appId!: string;

  @Field({ description: "The app's name." })
  appName!: string;

  @Field(() => ID, { description: "The app's organization." })
  organizationId!: string;

  @Field({ description: "The organization's name." })
  organizationName!: string;

  @Field(() => ID, { description: 'The product asked for.' })
  productId!: string;

  @Field({ description: "The product's name." })
  productName!: string;

  @Field({ description: 'When it was asked.' })
  requestedAt!: Date;

  @Field(() => Float, { description: 'How long it has waited, in hours.' })
  ageHours!: number;
}

@ObjectType({ description: 'The pending queue with its age and time-to-decision statistics.' })
export class StaffPendingQueueReport implements PendingQueueReport {
  @Field(() => Int, { description: 'Requests of live apps waiting for staff.' })
  pendingCount!: number;

  @Field(() => Date, {
    nullable: true,
    description: 'When the oldest pending request was made; null when none waits.',
  })
  oldestRequestedAt!: Date | null;

  @Field(() => Float, {
    nullable: true,
    description: 'The median wait of the pending requests, in hours; null when none waits.',
  })
  medianAgeHours!: number | null;

  @Field(() => Int, { description: 'The days of decisions the statistics below cover (1 to 365).' })
  windowDays!: number;

  @Field(() => Int, { description: 'Requests staff decided in the window.' })
  decidedCount!: number;

  @Field(() => Float, {
    nullable: true,
    description:
      'The mean time from request to staff decision in the window, in hours; null without decisions.',
  })
  averageHoursToDecision!: number | null;

  @Field(() => Float, {
    nullable: true,
    description:
      'The median time from request to staff decision in the window, in hours; null without decisions.',
  })
  medianHoursToDecision!: number | null;

  @Field(() => Float, {
    nullable: true,
    description:
      'The 90th percentile of the time to a staff decision in the window, in hours; null without decisions.',
  })
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

  @Field(() => HighUsageMeasure, { description: 'What ranks the apps.' })
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
