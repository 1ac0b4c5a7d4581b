import { Migration } from '@mikro-orm/migrations';

/**
 * Webhooks: `webhook_endpoint` (an organization's receivers, with their signing secrets
 * encrypted at rest) and `webhook_delivery` (the outbox of events for them, written in the
 * transaction of each change, and the log of its attempts).
 */
export class Migration20261201060000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create type "webhook_delivery_status" as enum ('PENDING', 'SUCCEEDED', 'FAILED');`,
    );
    this.addSql(
      `create table "webhook_endpoint" ("id" text not null, "created_at" timestamptz not null, "organization_id" text not null, "url" text not null, "description" text not null, "event_types" text[] not null, "secret_ciphertext" text not null, "previous_secret_ciphertext" text null, "previous_secret_expires_at" timestamptz null, "secret_created_at" timestamptz not null, "disabled_at" timestamptz null, "disabled_reason" text null, "failing_since" timestamptz null, "created_by_id" text null, "updated_at" timestamptz not null, constraint "webhook_endpoint_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create index "webhook_endpoint_organization_id_created_at_index" on "webhook_endpoint" ("organization_id", "created_at");`,
    );
    this.addSql(
      `alter table "webhook_endpoint" add constraint "webhook_endpoint_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "webhook_endpoint" add constraint "webhook_endpoint_created_by_id_foreign" foreign key ("created_by_id") references "users" ("id") on update cascade on delete set null;`,
    );
    this.addSql(
      `create table "webhook_delivery" ("id" text not null, "created_at" timestamptz not null, "endpoint_id" text not null, "message_id" text not null, "event_type" text not null, "payload" text not null, "status" "webhook_delivery_status" not null default 'PENDING', "attempt_count" int not null default 0, "next_attempt_at" timestamptz null, "locked_until" timestamptz null, "last_attempt_at" timestamptz null, "response_status" int null, "response_time_ms" int null, "response_excerpt" text null, "last_error" text null, "attempt_log" jsonb not null, "delivered_at" timestamptz null, "replay_of_id" text null, constraint "webhook_delivery_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create index "webhook_delivery_endpoint_id_created_at_index" on "webhook_delivery" ("endpoint_id", "created_at");`,
    );
    this.addSql(
      `create index "webhook_delivery_due" on "webhook_delivery" ("next_attempt_at", "id") where "status" = 'PENDING';`,
    );
    this.addSql(
      `alter table "webhook_delivery" add constraint "webhook_delivery_endpoint_id_foreign" foreign key ("endpoint_id") references "webhook_endpoint" ("id") on update cascade on delete cascade;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "webhook_delivery" cascade;`);
    this.addSql(`drop table if exists "webhook_endpoint" cascade;`);
    this.addSql(`drop type "webhook_delivery_status";`);
  }
}
