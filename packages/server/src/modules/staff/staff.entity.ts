import { Entity, Enum, Index, ManyToOne, Property, Unique, type Ref } from '@mikro-orm/core';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import { BaseEntity } from '../../db/base.entity.js';
import { Node } from '../../graphql/node.types.js';
import { User } from '../accounts/accounts.entity.js';
import { App } from '../apps/apps.entity.js';

export enum BulkAction {
  APPROVE = 'APPROVE',
  REJECT = 'REJECT',
  SUSPEND = 'SUSPEND',
  UNSUSPEND = 'UNSUSPEND',
  ROTATE_CREDENTIALS = 'ROTATE_CREDENTIALS',
}
registerEnumType(BulkAction, {
  name: 'BulkAction',
  description:
    'APPROVE / REJECT: every pending request of each app; SUSPEND / UNSUSPEND: the app; ROTATE_CREDENTIALS: every active credential of each app, which keeps working for the grace period.',
  valuesConfig: {
    APPROVE: { description: 'Approve every pending product request of each app.' },
    REJECT: { description: 'Reject every pending product request of each app.' },
    SUSPEND: { description: 'Suspend each live app.' },
    UNSUSPEND: { description: 'Lift the suspension of each suspended app.' },
    ROTATE_CREDENTIALS: {
      description: 'Rotate every active credential of each app; the old ones work for `graceDays`.',
    },
  },
});

export enum BulkRunStatus {
  /** A dry run: its plan is stored, nothing was applied. */
  PLANNED = 'PLANNED',
  /** Started: waiting for a worker. */
  QUEUED = 'QUEUED',
  RUNNING = 'RUNNING',
  /** Every item is applied, skipped or failed; the summary is final. */
  FINISHED = 'FINISHED',
  /** The data changed after the dry run: nothing was applied. */
  REFUSED = 'REFUSED',
}
registerEnumType(BulkRunStatus, {
  name: 'BulkRunStatus',
  description: 'Where a bulk run stands.',
  valuesConfig: {
    PLANNED: { description: 'A dry run: its plan is stored, nothing was applied.' },
    QUEUED: { description: 'Started: waiting for a worker.' },
    RUNNING: { description: 'Being applied, app by app.' },
    FINISHED: { description: 'Every item is applied, skipped or failed; the counts are final.' },
    REFUSED: { description: 'The data changed after the dry run: nothing was applied.' },
  },
});

export enum BulkItemPlan {
  CHANGE = 'CHANGE',
  SKIP = 'SKIP',
}
registerEnumType(BulkItemPlan, {
  name: 'BulkItemPlan',
  description: 'What the dry run planned for an app: change it, or skip it (with the reason).',
  valuesConfig: {
    CHANGE: { description: 'The action applies to the app.' },
    SKIP: { description: 'The action does not apply to the app (see `skipReason`).' },
  },
});

export enum BulkItemState {
  PLANNED = 'PLANNED',
  APPLIED = 'APPLIED',
  SKIPPED = 'SKIPPED',
  FAILED = 'FAILED',
}
registerEnumType(BulkItemState, {
  name: 'BulkItemState',
  description: 'What happened to one app of a bulk run.',
  valuesConfig: {
    PLANNED: { description: 'Not applied yet.' },
    APPLIED: { description: 'The change was made.' },
    SKIPPED: { description: 'Left alone, as planned.' },
    FAILED: { description: 'Applying it failed (see `failure`); nothing changed for the app.' },
  },
});

/**
 * A bulk operation of staff on apps: its dry run's plan (the items), the plan's fingerprint,
 * and once started, its progress and summary. A run is applied by one durable job.
 */
@ObjectType({ implements: Node, description: 'A bulk operation of staff: dry run, then real run.' })
@Entity()
@Index({ name: 'bulk_run_created_at_index', properties: ['createdAt', 'id'] })
@Index({ name: 'bulk_run_status_index', properties: ['status'] })
export class BulkRun extends BaseEntity {
  @Field({ description: 'When the run last changed (its status or progress).' })
  @Property({ type: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Date = new Date();

  @Field(() => BulkAction, { description: 'What the run does to each app.' })
  @Enum({ items: () => BulkAction, nativeEnumName: 'bulk_action' })
  action: BulkAction;

  /** The selection or criteria the plan was made from (`AppCriteria`), to plan again at start. */
  @Field(() => GraphQLJSONObject, { description: 'The selection or criteria of the apps.' })
  @Property({ type: 'jsonb' })
  criteria: Record<string, unknown>;

  @Field(() => String, {
    nullable: true,
    description: 'Why, as the app owners read it in their notices.',
  })
  @Property({ type: 'text', nullable: true })
  reason: string | null;

  @Field(() => Int, {
    nullable: true,
    description:
      'ROTATE_CREDENTIALS only: how many days the old credentials keep working; null for other actions.',
  })
  @Property({ type: 'integer', nullable: true })
  graceDays: number | null;

  @Field(() => BulkRunStatus, { description: 'Where the run stands.' })
  @Enum({ items: () => BulkRunStatus, nativeEnumName: 'bulk_run_status' })
  status: BulkRunStatus = BulkRunStatus.PLANNED;

  /** SHA-256 of the plan: each app with the version it was planned against. */
  @Property({ type: 'text' })
  fingerprint: string;

  @Field(() => Int, { description: 'Apps the dry run would change.' })
  @Property({ type: 'integer' })
  changeCount: number;

  @Field(() => Int, { description: 'Apps the dry run would skip.' })
  @Property({ type: 'integer' })
  skipCount: number;

  @Field(() => Int, { description: 'Apps changed so far by the real run.' })
  @Property({ type: 'integer' })
  appliedCount: number = 0;

  @Field(() => Int, { description: 'Apps the real run failed to change so far.' })
  @Property({ type: 'integer' })
  failedCount: number = 0;

  @ManyToOne(() => User, { ref: true, nullable: true, deleteRule: 'set null' })
  plannedBy: Ref<User> | null;

  @ManyToOne(() => User, { ref: true, nullable: true, deleteRule: 'set null' })
  startedBy: Ref<User> | null = null;

  @Field(() => Date, {
    nullable: true,
    description: 'When the real run was started; null for a dry run.',
  })
  @Property({ type: 'timestamptz', nullable: true })
  startedAt: Date | null = null;

  /** Last time a worker recorded progress; a stale one is resumed by another worker. */
  @Property({ type: 'timestamptz', nullable: true })
  heartbeatAt: Date | null = null;

  /** The worker holding the run while its heartbeat is fresh (a lease). */
  @Property({ type: 'text', nullable: true })
  worker: string | null = null;

  @Field(() => Date, {
    nullable: true,
    description: 'When the real run finished; null until then.',
  })
  @Property({ type: 'timestamptz', nullable: true })
  finishedAt: Date | null = null;

  @Field(() => String, {
    nullable: true,
    description: 'Why the real run was refused (the data changed after the dry run).',
  })
  @Property({ type: 'text', nullable: true })
  refusal: string | null = null;

  /** Where the run was started from, for the audit entries its items write. */
  @Property({ type: 'text', nullable: true })
  requestIp: string | null = null;

  @Property({ type: 'text', nullable: true })
  requestUserAgent: string | null = null;

  constructor(fields: {
    action: BulkAction;
    criteria: Record<string, unknown>;
    reason: string | null;
    graceDays: number | null;
    fingerprint: string;
    changeCount: number;
    skipCount: number;
    plannedBy: Ref<User> | null;
  }) {
    super('blk');
    this.action = fields.action;
    this.criteria = fields.criteria;
    this.reason = fields.reason;
    this.graceDays = fields.graceDays;
    this.fingerprint = fields.fingerprint;
    this.changeCount = fields.changeCount;
    this.skipCount = fields.skipCount;
    this.plannedBy = fields.plannedBy;
  }
}

/**
 * One app of a bulk run: what the dry run planned for it and against which version of it, and
 * what the real run did. The real run commits an item's state with the item's change, so a
 * resumed run never applies an item twice.
 */
@ObjectType({ description: 'One app of a bulk run.' })
@Entity()
@Unique({ name: 'bulk_run_item_run_position_unique', properties: ['run', 'position'] })
@Unique({ name: 'bulk_run_item_run_app_unique', properties: ['run', 'app'] })
@Index({ name: 'bulk_run_item_app_index', properties: ['app'] })
export class BulkRunItem extends BaseEntity {
  @ManyToOne(() => BulkRun, { ref: true, deleteRule: 'cascade' })
  run: Ref<BulkRun>;

  @Field(() => Int, { description: 'Its place in the plan, from 0.' })
  @Property({ type: 'integer' })
  position: number;

  @ManyToOne(() => App, { ref: true, deleteRule: 'cascade' })
  app: Ref<App>;

  @Property({ type: 'text' })
  organizationId: string;

  @Field(() => BulkItemPlan, { description: 'What the dry run planned for the app.' })
  @Enum({ items: () => BulkItemPlan, nativeEnumName: 'bulk_item_plan' })
  plan: BulkItemPlan;

  @Field(() => String, { nullable: true, description: 'Why the app is skipped.' })
  @Property({ type: 'text', nullable: true })
  skipReason: string | null;

  /** The app's state the plan was made against (status, update time, requests, credentials). */
  @Property({ type: 'text' })
  version: string;

  @Field(() => BulkItemState, { description: 'What the real run did with the app.' })
  @Enum({ items: () => BulkItemState, nativeEnumName: 'bulk_item_state' })
  state: BulkItemState;

  @Field(() => String, { nullable: true, description: 'Why applying it failed.' })
  @Property({ type: 'text', nullable: true })
  failure: string | null = null;

  /** What the change touches: the pending grant ids, or the credential ids rotated. */
  @Field(() => GraphQLJSONObject, {
    description: 'What the change touches: the pending grant ids, or the credential ids rotated.',
  })
  @Property({ type: 'jsonb' })
  detail: Record<string, unknown>;

  @Field(() => Date, {
    nullable: true,
    description: 'When the real run applied, skipped or failed it; null until then.',
  })
  @Property({ type: 'timestamptz', nullable: true })
  doneAt: Date | null = null;

  constructor(fields: {
    run: Ref<BulkRun>;
    position: number;
    app: Ref<App>;
    organizationId: string;
    plan: BulkItemPlan;
    skipReason: string | null;
    version: string;
    detail: Record<string, unknown>;
  }) {
    super('bli');
    this.run = fields.run;
    this.position = fields.position;
    this.app = fields.app;
    this.organizationId = fields.organizationId;
    this.plan = fields.plan;
    this.skipReason = fields.skipReason;
    this.version = fields.version;
    this.detail = fields.detail;
    this.state = fields.plan === BulkItemPlan.SKIP ? BulkItemState.SKIPPED : BulkItemState.PLANNED;
  }
}
