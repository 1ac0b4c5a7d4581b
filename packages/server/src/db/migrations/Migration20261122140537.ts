import { Migration } from '@mikro-orm/migrations';

export class Migration20261122140537 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "usage_minute" ("bucket" timestamptz not null, "app_id" text not null, "product_id" text not null, "credential_id" text not null, "environment_id" text not null, "organization_id" text not null, "requests" bigint not null default 0, "responses" bigint not null default 0, "errors" bigint not null default 0, "units" bigint not null default 0, "response_time_min" double precision null, "response_time_max" double precision null, "response_time_sum" double precision not null default 0, constraint "usage_minute_pkey" primary key ("bucket", "app_id", "product_id", "credential_id", "environment_id"));`,
    );
    this.addSql(
      `create index "usage_minute_organization_id_product_id_bucket_index" on "usage_minute" ("organization_id", "product_id", "bucket");`,
    );

    this.addSql(
      `create table "gateway_token" ("id" text not null, "created_at" timestamptz not null, "name" text not null, "token_hash" text not null, "last_four" text not null, "created_by_id" text null, "last_used_at" timestamptz null, "revoked_at" timestamptz null, "revoked_by_id" text null, constraint "gateway_token_pkey" primary key ("id"));`,
    );
    this.addSql(
      `alter table "gateway_token" add constraint "gateway_token_token_hash_unique" unique ("token_hash");`,
    );

    this.addSql(
      `alter table "gateway_token" add constraint "gateway_token_created_by_id_foreign" foreign key ("created_by_id") references "users" ("id") on update cascade on delete set null;`,
    );
    this.addSql(
      `alter table "gateway_token" add constraint "gateway_token_revoked_by_id_foreign" foreign key ("revoked_by_id") references "users" ("id") on update cascade on delete set null;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "usage_minute" cascade;`);

    this.addSql(`drop table if exists "gateway_token" cascade;`);
  }
}
