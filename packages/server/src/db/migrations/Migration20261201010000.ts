import { Migration } from '@mikro-orm/migrations';

const HISTOGRAM_DEFAULT = `'{${new Array(24).fill(0).join(',')}}'`;

function usageTable(name: string): string {
  return `create table "${name}" ("bucket" timestamptz not null, "app_id" text not null, "product_id" text not null, "credential_id" text not null, "environment_id" text not null, "organization_id" text not null, "requests" bigint not null default 0, "responses" bigint not null default 0, "errors" bigint not null default 0, "units" bigint not null default 0, "response_time_min" double precision null, "response_time_max" double precision null, "response_time_sum" double precision not null default 0, "latency_histogram" bigint[] not null default ${HISTOGRAM_DEFAULT}, constraint "${name}_pkey" primary key ("bucket", "app_id", "product_id", "credential_id", "environment_id")) partition by range ("bucket");`;
}

/**
 * Usage analytics: `usage_minute` becomes a table partitioned by range of `bucket` (its rows
 * kept, in the default partition until the partition job moves them to daily partitions), with
 * a latency histogram per row; `usage_hour` and `usage_day` (partitioned the same way) hold
 * the rollups; `usage_dirty` the hours and days to roll up again; `usage_alert` the cap alerts
 * sent. Every hour that has minute rows is marked dirty, so the first rollup covers them.
 */
export class Migration20261201010000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "usage_minute" rename to "usage_minute_unpartitioned";`);
    this.addSql(
      `alter table "usage_minute_unpartitioned" rename constraint "usage_minute_pkey" to "usage_minute_unpartitioned_pkey";`,
    );
    this.addSql(`drop index "usage_minute_organization_id_product_id_bucket_index";`);
    for (const table of ['usage_minute', 'usage_hour', 'usage_day']) {
      this.addSql(usageTable(table));
      this.addSql(`create table "${table}_default" partition of "${table}" default;`);
      this.addSql(
        `create index "${table}_organization_id_bucket_index" on "${table}" ("organization_id", "bucket");`,
      );
      if (table !== 'usage_minute') {
        this.addSql(
          `create index "${table}_app_id_bucket_index" on "${table}" ("app_id", "bucket");`,
        );
      }
    }
    this.addSql(
      `insert into "usage_minute" ("bucket", "app_id", "product_id", "credential_id", "environment_id", "organization_id", "requests", "responses", "errors", "units", "response_time_min", "response_time_max", "response_time_sum") select "bucket", "app_id", "product_id", "credential_id", "environment_id", "organization_id", "requests", "responses", "errors", "units", "response_time_min", "response_time_max", "response_time_sum" from "usage_minute_unpartitioned";`,
    );
    this.addSql(`drop table "usage_minute_unpartitioned";`);

    this.addSql(
      `create table "usage_dirty" ("level" text not null, "bucket" timestamptz not null, "version" bigint not null, constraint "usage_dirty_pkey" primary key ("level", "bucket"));`,
    );
    this.addSql(
      `insert into "usage_dirty" ("level", "bucket", "version") select distinct 'hour', date_trunc('hour', "bucket", 'UTC'), pg_current_xact_id()::text::bigint from "usage_minute";`,
    );
    this.addSql(
      `create table "usage_alert" ("organization_id" text not null, "product_id" text not null, "month" text not null, "metric" text not null, "threshold" int not null, "used" double precision not null, "cap" double precision not null, "created_at" timestamptz not null, constraint "usage_alert_pkey" primary key ("organization_id", "product_id", "month", "metric", "threshold"));`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "usage_alert";`);
    this.addSql(`drop table if exists "usage_dirty";`);
    this.addSql(`drop table if exists "usage_day";`);
    this.addSql(`drop table if exists "usage_hour";`);
    this.addSql(`alter table "usage_minute" rename to "usage_minute_partitioned";`);
    this.addSql(
      `create table "usage_minute" ("bucket" timestamptz not null, "app_id" text not null, "product_id" text not null, "credential_id" text not null, "environment_id" text not null, "organization_id" text not null, "requests" bigint not null default 0, "responses" bigint not null default 0, "errors" bigint not null default 0, "units" bigint not null default 0, "response_time_min" double precision null, "response_time_max" double precision null, "response_time_sum" double precision not null default 0, constraint "usage_minute_pkey" primary key ("bucket", "app_id", "product_id", "credential_id", "environment_id"));`,
    );
    this.addSql(
      `insert into "usage_minute" select "bucket", "app_id", "product_id", "credential_id", "environment_id", "organization_id", "requests", "responses", "errors", "units", "response_time_min", "response_time_max", "response_time_sum" from "usage_minute_partitioned";`,
    );
    this.addSql(`drop table "usage_minute_partitioned";`);
    this.addSql(
      `create index "usage_minute_organization_id_product_id_bucket_index" on "usage_minute" ("organization_id", "product_id", "bucket");`,
    );
  }
}
