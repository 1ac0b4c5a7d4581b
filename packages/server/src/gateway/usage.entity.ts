import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * Usage of one minute (UTC) for one app, product, credential and environment. Rows are
 * upserted in batches: verified requests count `requests`; gateway reports count
 * `responses`, `errors` (status >= 400), `units` and response times. No foreign keys, so a
 * deleted app's analytics stay. `credentialId` and `environmentId` are '' when there is none.
 */
@Entity({ tableName: 'usage_minute' })
@Index({ properties: ['organizationId', 'productId', 'bucket'] })
export class UsageMinute {
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
}
