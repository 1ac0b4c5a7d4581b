import { Migration } from '@mikro-orm/migrations';

const HISTOGRAM_BUCKETS = 24;
const HISTOGRAM_DEFAULT = `'{${new Array(HISTOGRAM_BUCKETS).fill(0).join(',')}}'`;
const LEVELS = ['minute', 'hour', 'day'] as const;
/** Room on each page of the minutes for their updates to stay HOT. */
const MINUTE_FILLFACTOR = 50;

function organizationTable(name: string): string {
  return `create table "${name}" ("organization_id" text not null, "bucket" timestamptz not null, "product_id" text not null, "environment_id" text not null, "requests" bigint not null default 0, "responses" bigint not null default 0, "errors" bigint not null default 0, "units" bigint not null default 0, "response_time_min" double precision null, "response_time_max" double precision null, "response_time_sum" double precision not null default 0, "latency_histogram" bigint[] not null default ${HISTOGRAM_DEFAULT}, constraint "${name}_pkey" primary key ("organization_id", "bucket", "product_id", "environment_id")) partition by range ("bucket");`;
}

const HISTOGRAM_SUM = `array[${Array.from(
  { length: HISTOGRAM_BUCKETS },
  (_, i) => `coalesce(sum("latency_histogram"[${i + 1}]), 0)`,
).join(', ')}]::bigint[]`;

/**
 * Usage per organization: `usage_org_minute`, `usage_org_hour` and `usage_org_day` hold the
 * sums of `usage_minute`, `usage_hour` and `usage_day` per organization, product and dev
 * environment (every app and credential together), partitioned like them (the same
 * partitions are made), and filled from them, so that what is dirty stays dirty for both.
 * The minute partitions, updated again and again while traffic comes in, leave half of each
 * page free so that those updates stay HOT.
 */
export class Migration20261202010000 extends Migration {
  override async up(): Promise<void> {
    for (const level of LEVELS) {
      const table = `usage_org_${level}`;
      this.addSql(organizationTable(table));
      this.addSql(`create table "${table}_default" partition of "${table}" default;`);
    }
    this.addSql(`do $$
declare
  r record;
begin
  for r in
    select c.relname as name, p.relname as parent, pg_get_expr(c.relpartbound, c.oid) as bound
    from pg_inherits i join pg_class c on c.oid = i.inhrelid join pg_class p on p.oid = i.inhparent
    where p.relname in ('usage_minute', 'usage_hour', 'usage_day')
      and c.relname <> p.relname || '_default'
  loop
    execute format('create table %I partition of %I %s',
      'usage_org_' || substr(r.name, 7), 'usage_org_' || substr(r.parent, 7), r.bound);
  end loop;
  for r in
    select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid
    where i.inhparent in ('usage_minute'::regclass, 'usage_org_minute'::regclass)
  loop
    execute format('alter table %I set (fillfactor = ${MINUTE_FILLFACTOR})', r.name);
  end loop;
end $$;`);
    for (const level of LEVELS) {
      this.addSql(
        `insert into "usage_org_${level}" ("organization_id", "bucket", "product_id", "environment_id", "requests", "responses", "errors", "units", "response_time_min", "response_time_max", "response_time_sum", "latency_histogram") select "organization_id", "bucket", "product_id", "environment_id", sum("requests"), sum("responses"), sum("errors"), sum("units"), min("response_time_min"), max("response_time_max"), sum("response_time_sum"), ${HISTOGRAM_SUM} from "usage_${level}" group by "organization_id", "bucket", "product_id", "environment_id";`,
      );
    }
  }

  override async down(): Promise<void> {
    for (const level of LEVELS) this.addSql(`drop table if exists "usage_org_${level}";`);
  }
}
