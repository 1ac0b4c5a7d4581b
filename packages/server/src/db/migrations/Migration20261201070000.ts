import { Migration } from '@mikro-orm/migrations';

/**
 * The staff console:
 * - `bulk_run` and `bulk_run_item`: a bulk operation's dry-run plan (one item per app, each a
 *   change or a skip with its reason and the version of the app it was planned against), the
 *   fingerprint of that plan, and per-item state that the real run commits with each change;
 * - the audit log made append-only in the database itself: a trigger refuses every UPDATE and
 *   DELETE of `audit_entry` (and TRUNCATE), whoever runs it;
 * - indexes for the audit log search and the inventory filters.
 */
export class Migration20261201070000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create type "bulk_action" as enum ('APPROVE', 'REJECT', 'SUSPEND', 'UNSUSPEND', 'ROTATE_CREDENTIALS');`,
    );
    this.addSql(
      `create type "bulk_run_status" as enum ('PLANNED', 'QUEUED', 'RUNNING', 'FINISHED', 'REFUSED');`,
    );
    this.addSql(`create type "bulk_item_plan" as enum ('CHANGE', 'SKIP');`);
    this.addSql(
      `create type "bulk_item_state" as enum ('PLANNED', 'APPLIED', 'SKIPPED', 'FAILED');`,
    );
    this.addSql(`create table "bulk_run" (
      "id" text not null,
      "created_at" timestamptz not null,
      "updated_at" timestamptz not null,
      "action" "bulk_action" not null,
      "criteria" jsonb not null,
      "reason" text null,
      "grace_days" int null,
      "status" "bulk_run_status" not null,
      "fingerprint" text not null,
      "change_count" int not null,
      "skip_count" int not null,
      "applied_count" int not null,
      "failed_count" int not null,
      "planned_by_id" text null,
      "started_by_id" text null,
      "started_at" timestamptz null,
      "heartbeat_at" timestamptz null,
      "worker" text null,
      "finished_at" timestamptz null,
      "refusal" text null,
      "request_ip" text null,
      "request_user_agent" text null,
      constraint "bulk_run_pkey" primary key ("id"),
      constraint "bulk_run_planned_by_id_foreign" foreign key ("planned_by_id") references "users" ("id") on update cascade on delete set null,
      constraint "bulk_run_started_by_id_foreign" foreign key ("started_by_id") references "users" ("id") on update cascade on delete set null
    );`);
    this.addSql(`create index "bulk_run_created_at_index" on "bulk_run" ("created_at", "id");`);
    this.addSql(`create index "bulk_run_status_index" on "bulk_run" ("status");`);
    this.addSql(`create table "bulk_run_item" (
      "id" text not null,
      "created_at" timestamptz not null,
      "run_id" text not null,
      "position" int not null,
      "app_id" text not null,
      "organization_id" text not null,
      "plan" "bulk_item_plan" not null,
      "skip_reason" text null,
      "version" text not null,
      "state" "bulk_item_state" not null,
      "failure" text null,
      "detail" jsonb not null,
      "done_at" timestamptz null,
      constraint "bulk_run_item_pkey" primary key ("id"),
      constraint "bulk_run_item_run_id_foreign" foreign key ("run_id") references "bulk_run" ("id") on update cascade on delete cascade,
      constraint "bulk_run_item_app_id_foreign" foreign key ("app_id") references "app" ("id") on update cascade on delete cascade
    );`);
    this.addSql(
      `create unique index "bulk_run_item_run_position_unique" on "bulk_run_item" ("run_id", "position");`,
    );
    this.addSql(
      `create unique index "bulk_run_item_run_app_unique" on "bulk_run_item" ("run_id", "app_id");`,
    );
    this.addSql(`create index "bulk_run_item_app_index" on "bulk_run_item" ("app_id");`);

    // The audit log is append-only: no role, the application's included, may change or remove
    // an entry. (Deleting an organization or user that entries name fails too: their
    // foreign keys would null the entries' references.)
    this.addSql(`create function "audit_entry_append_only"() returns trigger language plpgsql as $$
      begin
        raise exception 'audit_entry is append-only: % refused', tg_op
          using errcode = 'insufficient_privilege';
      end;
    $$;`);
    this.addSql(
      `create trigger "audit_entry_no_update_or_delete" before update or delete on "audit_entry" for each row execute function "audit_entry_append_only"();`,
    );
    this.addSql(
      `create trigger "audit_entry_no_truncate" before truncate on "audit_entry" for each statement execute function "audit_entry_append_only"();`,
    );
    this.addSql(
      `create index "audit_entry_created_at_index" on "audit_entry" ("created_at", "id");`,
    );
    this.addSql(
      `create index "audit_entry_actor_created_at_index" on "audit_entry" ("actor_id", "created_at");`,
    );
    this.addSql(
      `create index "audit_entry_action_created_at_index" on "audit_entry" ("action", "created_at");`,
    );
    this.addSql(
      `create index "audit_entry_data_app_id_index" on "audit_entry" (("data" ->> 'appId'));`,
    );

    // Inventory filters: last verified request per app, status, owner.
    this.addSql(
      `create index "credential_app_last_used_index" on "credential" ("app_id", "last_used_at");`,
    );
    this.addSql(`create index "app_status_index" on "app" ("status") where "deleted_at" is null;`);
    this.addSql(`create index "app_owner_index" on "app" ("owner_id");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "app_owner_index";`);
    this.addSql(`drop index "app_status_index";`);
    this.addSql(`drop index "credential_app_last_used_index";`);
    this.addSql(`drop index "audit_entry_data_app_id_index";`);
    this.addSql(`drop index "audit_entry_action_created_at_index";`);
    this.addSql(`drop index "audit_entry_actor_created_at_index";`);
    this.addSql(`drop index "audit_entry_created_at_index";`);
    this.addSql(`drop trigger "audit_entry_no_truncate" on "audit_entry";`);
    this.addSql(`drop trigger "audit_entry_no_update_or_delete" on "audit_entry";`);
    this.addSql(`drop function "audit_entry_append_only"();`);
    this.addSql(`drop table "bulk_run_item";`);
    this.addSql(`drop table "bulk_run";`);
    this.addSql(`drop type "bulk_item_state";`);
    this.addSql(`drop type "bulk_item_plan";`);
    this.addSql(`drop type "bulk_run_status";`);
    this.addSql(`drop type "bulk_action";`);
  }
}
