import {
  Arg,
  Args,
  Ctx,
  FieldResolver,
  ID,
  Int,
  Mutation,
  Query,
  Resolver,
  Root,
} from 'type-graphql';
import { Access } from '../../auth/access.js';
import type { Context } from '../../context.js';
import { PageArgs } from '../../graphql/connection.js';
import { User } from '../accounts/accounts.entity.js';
import { accountLoaders } from '../accounts/accounts.loaders.js';
import { AuditEntryConnection } from '../audit/audit.types.js';
import { searchAuditLog } from './staff.audit.js';
import { planBulkRun, startBulkRun } from './staff.bulk.service.js';
import { BulkRun, BulkRunItem } from './staff.entity.js';
import { staffLoaders } from './staff.loaders.js';
import { setOrganizationVerified } from './staff.orgs.js';
import { highUsageReport, inventorySummary, pendingQueueReport } from './staff.reports.js';
import {
  appForStaff,
  bulkRunItems,
  findBulkRun,
  listApps,
  listBulkRuns,
  listOrganizations,
  organizationForStaff,
} from './staff.service.js';
import {
  BulkRunConnection,
  BulkRunItemConnection,
  BulkRunItemsArgs,
  PlanBulkRunInput,
  PlanBulkRunPayload,
  SetOrganizationVerifiedInput,
  SetOrganizationVerifiedPayload,
  StaffApp,
  StaffAppConnection,
  StaffAppsArgs,
  StaffAuditLogArgs,
  StaffHighUsageArgs,
  StaffHighUsageReport,
  StaffInventorySummary,
  StaffOrganization,
  StaffOrganizationConnection,
  StaffOrganizationsArgs,
  StaffPendingQueueReport,
  StaffUsage,
  StartBulkRunInput,
  StartBulkRunPayload,
} from './staff.types.js';

/** The staff console: inventory, bulk operations, audit log search and reports. */
@Resolver()
export class StaffResolver {
  @Access('STAFF')
  @Query(() => StaffAppConnection, {
    description: 'Apps of every organization, filtered, sorted and cursor-paged (staff).',
  })
  async staffApps(@Args() args: StaffAppsArgs, @Ctx() ctx: Context): Promise<StaffAppConnection> {
    return listApps(ctx, args.filter, { key: args.sort, direction: args.direction }, args);
  }

  @Access('STAFF')
  @Query(() => StaffApp, { description: 'One app as the inventory shows it (staff).' })
  async staffApp(
    @Arg('id', () => ID, { description: "The app's id." }) id: string,
    @Ctx() ctx: Context,
  ): Promise<StaffApp> {
    return appForStaff(ctx, id);
  }

  @Access('STAFF')
  @Query(() => StaffOrganizationConnection, {
    description: 'Every organization, filtered, sorted and cursor-paged (staff).',
  })
  async staffOrganizations(
    @Args() args: StaffOrganizationsArgs,
    @Ctx() ctx: Context,
  ): Promise<StaffOrganizationConnection> {
    return listOrganizations(ctx, args.filter, { key: args.sort, direction: args.direction }, args);
  }

  @Access('STAFF')
  @Query(() => StaffOrganization, { description: 'One organization with its counts and plans.' })
  async staffOrganization(
    @Arg('id', () => ID, { description: "The organization's id." }) id: string,
    @Ctx() ctx: Context,
  ): Promise<StaffOrganization> {
    return organizationForStaff(ctx, id);
  }

  @Access('STAFF')
  @Query(() => AuditEntryConnection, {
    description:
      'Every audit entry of the portal, newest first, by actor, organization, app, action and time (staff).',
  })
  async staffAuditLog(
    @Args() args: StaffAuditLogArgs,
    @Ctx() ctx: Context,
  ): Promise<AuditEntryConnection> {
    return searchAuditLog(ctx, args.filter, args);
  }

  @Access('STAFF')
  @Query(() => BulkRunConnection, { description: 'Bulk runs, newest first (staff).' })
  async bulkRuns(@Args() args: PageArgs, @Ctx() ctx: Context): Promise<BulkRunConnection> {
    return listBulkRuns(ctx, args);
  }

  @Access('STAFF')
  @Query(() => BulkRun, {
    nullable: true,
    description: 'A bulk run by id; null when none has it (staff).',
  })
  async bulkRun(
    @Arg('id', () => ID, { description: "The run's id." }) id: string,
    @Ctx() ctx: Context,
  ): Promise<BulkRun | null> {
    return findBulkRun(ctx, id);
  }

  @Access('STAFF')
  @Query(() => StaffInventorySummary, { description: 'The app inventory report (staff).' })
  async staffInventorySummary(@Ctx() ctx: Context): Promise<StaffInventorySummary> {
    return inventorySummary(ctx);
  }

  @Access('STAFF')
  @Query(() => StaffPendingQueueReport, {
    description: 'The pending queue with ages and time-to-decision statistics (staff).',
  })
  async staffPendingQueue(
    @Arg('windowDays', () => Int, {
      defaultValue: 30,
      description: 'The days of decisions the statistics cover, 1 to 365 (kept within them).',
    })
    windowDays: number,
    @Ctx() ctx: Context,
  ): Promise<StaffPendingQueueReport> {
    return pendingQueueReport(ctx, {
      windowDays: Math.min(Math.max(windowDays, 1), 365),
      limit: 100,
    });
  }

  @Access('STAFF')
  @Query(() => StaffHighUsageReport, {
    description:
      'The high-usage report: the top apps this month by requests or by their largest share of a plan cap, with an upgrade suggestion from 80 % of a cap (staff).',
  })
  async staffHighUsageApps(
    @Args() args: StaffHighUsageArgs,
    @Ctx() ctx: Context,
  ): Promise<StaffHighUsageReport> {
    return { ...(await highUsageReport(ctx, args)), by: args.by };
  }

  @Access('STAFF')
  @Mutation(() => PlanBulkRunPayload, {
    description:
      'The dry run of a bulk operation: lists what would change and what would be skipped (and why), and stores that plan. Nothing changes.',
  })
  async planBulkRun(
    @Arg('input', { description: 'The action, the apps and why.' }) input: PlanBulkRunInput,
    @Ctx() ctx: Context,
  ): Promise<PlanBulkRunPayload> {
    return { run: await planBulkRun(ctx, input) };
  }

  @Access('STAFF')
  @Mutation(() => StartBulkRunPayload, {
    description:
      'Starts the real run of a dry run as a durable job; refused (CONFLICT) when the data changed since the dry run.',
  })
  async startBulkRun(
    @Arg('input', { description: 'The dry run.' }) input: StartBulkRunInput,
    @Ctx() ctx: Context,
  ): Promise<StartBulkRunPayload> {
    return { run: await startBulkRun(ctx, input) };
  }

  @Access('STAFF')
  @Mutation(() => SetOrganizationVerifiedPayload, {
    description: 'Staff mark an organization verified, or take it back, with a reason.',
  })
  async setOrganizationVerified(
    @Arg('input', { description: 'The organization and the decision.' })
    input: SetOrganizationVerifiedInput,
    @Ctx() ctx: Context,
  ): Promise<SetOrganizationVerifiedPayload> {
    return { organization: await setOrganizationVerified(ctx, input) };
  }
}

@Resolver(() => BulkRun)
export class BulkRunFieldsResolver {
  @FieldResolver(() => Int, { description: 'Apps in the plan: changes and skips.' })
  total(@Root() run: BulkRun): number {
    return run.changeCount + run.skipCount;
  }

  @FieldResolver(() => User, {
    nullable: true,
    description: 'The staff member who made the dry run; null when their account is gone.',
  })
  async plannedBy(@Root() run: BulkRun, @Ctx() ctx: Context): Promise<User | null> {
    return run.plannedBy ? accountLoaders(ctx).userById.load(run.plannedBy.id) : null;
  }

  @FieldResolver(() => User, {
    nullable: true,
    description:
      'The staff member who started the real run; null before it starts or when their account is gone.',
  })
  async startedBy(@Root() run: BulkRun, @Ctx() ctx: Context): Promise<User | null> {
    return run.startedBy ? accountLoaders(ctx).userById.load(run.startedBy.id) : null;
  }

  @FieldResolver(() => BulkRunItemConnection, {
    description: 'The plan in order (and, once run, what happened to each app).',
  })
  async items(
    @Root() run: BulkRun,
    @Args() args: BulkRunItemsArgs,
    @Ctx() ctx: Context,
  ): Promise<BulkRunItemConnection> {
    return bulkRunItems(ctx, run, args);
  }
}

@Resolver(() => BulkRunItem)
export class BulkRunItemFieldsResolver {
  @FieldResolver(() => ID, { description: 'The app, even once it is deleted.' })
  appId(@Root() item: BulkRunItem): string {
    return item.app.id;
  }

  @FieldResolver(() => StaffApp, { nullable: true, description: 'Null once the app is deleted.' })
  async app(@Root() item: BulkRunItem, @Ctx() ctx: Context): Promise<StaffApp | null> {
    return staffLoaders(ctx).inventoryAppById.load(item.app.id);
  }
}

@Resolver(() => StaffApp)
export class StaffAppFieldsResolver {
  @FieldResolver(() => StaffUsage, {
    description:
      "This month's usage, its largest share of a plan cap and the last 30 days' error rate.",
  })
  async usage(@Root() app: StaffApp, @Ctx() ctx: Context): Promise<StaffUsage> {
    return staffLoaders(ctx).usageByAppId.load(app.id);
  }
}

@Resolver(() => StaffOrganization)
export class StaffOrganizationFieldsResolver {
  @FieldResolver(() => StaffUsage, {
    description:
      "This month's usage of all its apps, its largest share of a plan cap and the last 30 days' error rate.",
  })
  async usage(@Root() org: StaffOrganization, @Ctx() ctx: Context): Promise<StaffUsage> {
    return staffLoaders(ctx).usageByOrganizationId.load(org.id);
  }
}
