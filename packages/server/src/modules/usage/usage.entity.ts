import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';
import { LATENCY_BUCKETS } from './usage.histogram.js';

/** The empty histogram as a column default. */
const EMPTY_HISTOGRAM = `'{${new Array(LATENCY_BUCKETS).fill(0).join(',')}}'::bigint[]`;

/**
 * The columns every usage table shares: one bucket (a minute, hour or day, UTC) of one app,
 * product, credential and environment. Verified requests count `requests`; gateway reports
 * count `responses`, `errors` (status >= 400), `units`, response times and the latency
 * histogram (see usage.histogram.ts). No foreign keys, so a deleted app's analytics stay.
 * `credentialId` and `environmentId` are '' when there is none. The tables are partitioned by
 * range of `bucket` (migration Migration20261201010000 and usage.partitions.ts).
 */
abstract class UsageRow {
  @PrimaryKey({ type: 'timestamptz' })
  bucket!: Date;

  @PrimaryKey({ type: 'text' })
  appId!: string;

  @PrimaryKey({ type: 'text' })
  productId!: string;

  @PrimaryKey({ type: 'text' })
  credentialId!: string;

  @PrimaryKey({ type: 'text' })
  environmentId!: string;

  @Property({ type: 'text' })
  organizationId!: string;

  @Property({ type: 'bigint', default: 0 })
  requests!: string;

  @Property({ type: 'bigint', default: 0 })
  responses!: string;

  @Property({ type: 'bigint', default: 0 })
  errors!: string;

  @Property({ type: 'bigint', default: 0 })
  units!: string;

  @Property({ type: 'double', nullable: true })
  responseTimeMin!: number | null;

  @Property({ type: 'double', nullable: true })
  responseTimeMax!: number | null;

  @Property({ type: 'double', default: 0 })
  responseTimeSum!: number;

  @Property({ type: 'bigint[]', columnType: 'bigint[]', defaultRaw: EMPTY_HISTOGRAM })
  latencyHistogram!: string[];
}

/** Usage per minute; kept USAGE_MINUTE_RETENTION_DAYS (daily partitions). */
@Entity({ tableName: 'usage_minute' })
@Index({ properties: ['organizationId', 'bucket'] })
export class UsageMinute extends UsageRow {}

/** Usage per hour, rolled up from the minutes; kept USAGE_HOUR_RETENTION_DAYS (monthly partitions). */
@Entity({ tableName: 'usage_hour' })
@Index({ properties: ['organizationId', 'bucket'] })
@Index({ properties: ['appId', 'bucket'] })
export class UsageHour extends UsageRow {}

/** Usage per day, rolled up from the hours; kept USAGE_DAY_RETENTION_DAYS (yearly partitions). */
@Entity({ tableName: 'usage_day' })
@Index({ properties: ['organizationId', 'bucket'] })
@Index({ properties: ['appId', 'bucket'] })
export class UsageDay extends UsageRow {}

/**
 * The same sums per organization, product and dev environment (every app and credential
 * together): what the organization's charts, totals, product and environment breakdowns, caps
 * and the gateway's month counts read, a row per product and environment in place of one per
 * app and credential. The gateway writes the minutes in the statement that writes
 * `usage_minute`; the rollups make the hours and days from them, with the same dirty marks.
 */
abstract class OrganizationUsageRow {
  @PrimaryKey({ type: 'text' })
  organizationId!: string;

  @PrimaryKey({ type: 'timestamptz' })
  bucket!: Date;

  @PrimaryKey({ type: 'text' })
  productId!: string;

  @PrimaryKey({ type: 'text' })
  environmentId!: string;

  @Property({ type: 'bigint', default: 0 })
  requests!: string;

  @Property({ type: 'bigint', default: 0 })
  responses!: string;

  @Property({ type: 'bigint', default: 0 })
  errors!: string;

  @Property({ type: 'bigint', default: 0 })
  units!: string;

  @Property({ type: 'double', nullable: true })
  responseTimeMin!: number | null;

  @Property({ type: 'double', nullable: true })
  responseTimeMax!: number | null;

  @Property({ type: 'double', default: 0 })
  responseTimeSum!: number;

  @Property({ type: 'bigint[]', columnType: 'bigint[]', defaultRaw: EMPTY_HISTOGRAM })
  latencyHistogram!: string[];
}

/** An organization's usage per minute (daily partitions, kept as long as `usage_minute`). */
@Entity({ tableName: 'usage_org_minute' })
export class OrganizationUsageMinute extends OrganizationUsageRow {}

/** An organization's usage per hour (monthly partitions, kept as long as `usage_hour`). */
@Entity({ tableName: 'usage_org_hour' })
export class OrganizationUsageHour extends OrganizationUsageRow {}

/** An organization's usage per day (yearly partitions, kept as long as `usage_day`). */
@Entity({ tableName: 'usage_org_day' })
export class OrganizationUsageDay extends OrganizationUsageRow {}

/**
 * An hour whose minute rows changed since it was rolled up (`level` 'hour'), or a day whose
 * hour rows did ('day'). `version` is the id of the last transaction that marked it: the
 * rollup removes the mark only if no one marked it again meanwhile.
 */
@Entity({ tableName: 'usage_dirty' })
export class UsageDirty {
  @PrimaryKey({ type: 'text' })
  level!: 'hour' | 'day';

  @PrimaryKey({ type: 'timestamptz' })
  bucket!: Date;

  @Property({ type: 'bigint' })
  version!: string;
}

/**
 * A cap alert sent: one per organization, product, billing month, metric and threshold, so
 * each is sent once.
 */
@Entity({ tableName: 'usage_alert' })
export class UsageAlert {
  @PrimaryKey({ type: 'text' })
  organizationId!: string;

  @PrimaryKey({ type: 'text' })
  productId!: string;

  /** "YYYY-MM" (UTC). */
  @PrimaryKey({ type: 'text' })
  month!: string;

  /** REQUESTS or UNITS. */
  @PrimaryKey({ type: 'text' })
  metric!: string;

  /** 50, 80 or 100. */
  @PrimaryKey({ type: 'integer' })
  threshold!: number;

  @Property({ type: 'double' })
  used!: number;

  @Property({ type: 'double' })
  cap!: number;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();
}
