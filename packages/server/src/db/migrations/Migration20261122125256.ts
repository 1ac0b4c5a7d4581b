import { Migration } from '@mikro-orm/migrations';

export class Migration20261122125256 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create type "approval_mode" as enum ('AUTO', 'MANUAL', 'CONDITIONAL');`);
    this.addSql(
      `create type "application_status" as enum ('PENDING', 'QUESTION', 'APPROVED', 'REJECTED', 'CLOSED');`,
    );
    this.addSql(
      `create type "grant_status" as enum ('PENDING', 'APPROVED', 'REJECTED', 'REVOKED', 'WITHDRAWN');`,
    );
    this.addSql(
      `create table "api_product" ("id" text not null, "created_at" timestamptz not null, "name" text not null, "slug" text not null, "description" text not null default '', "path_prefixes" text[] not null, "dm_path_prefixes" text[] not null, "requires_project" boolean not null default false, "approval_mode" "approval_mode" not null default 'MANUAL', "approval_rules" jsonb not null, "archived_at" timestamptz null, "updated_at" timestamptz not null, constraint "api_product_pkey" primary key ("id"));`,
    );
    this.addSql(
      `alter table "api_product" add constraint "api_product_slug_unique" unique ("slug");`,
    );

    this.addSql(
      `create table "domain_event" ("id" bigserial primary key, "topic" text not null, "kind" text not null, "subject_id" text not null, "data" jsonb not null, "created_at" timestamptz not null);`,
    );
    this.addSql(`create index "domain_event_topic_id_index" on "domain_event" ("topic", "id");`);

    this.addSql(
      `create table "plan" ("id" text not null, "created_at" timestamptz not null, "name" text not null, "rank" int not null, "monthly_request_cap" bigint null, "monthly_unit_cap" bigint null, "rate_limit_requests" int not null, "rate_limit_window_seconds" int not null, "max_apps" int not null, "max_dev_environments" int not null, constraint "plan_pkey" primary key ("id"));`,
    );
    this.addSql(`alter table "plan" add constraint "plan_name_unique" unique ("name");`);
    this.addSql(`alter table "plan" add constraint "plan_rank_unique" unique ("rank");`);

    this.addSql(
      `create table "plan_subscription" ("id" text not null, "created_at" timestamptz not null, "organization_id" text not null, "product_id" text not null, "plan_id" text not null, "updated_at" timestamptz not null, constraint "plan_subscription_pkey" primary key ("id"));`,
    );
    this.addSql(
      `alter table "plan_subscription" add constraint "plan_subscription_organization_id_product_id_unique" unique ("organization_id", "product_id");`,
    );

    this.addSql(
      `create table "reason_template" ("id" text not null, "created_at" timestamptz not null, "title" text not null, "text" text not null, constraint "reason_template_pkey" primary key ("id"));`,
    );

    this.addSql(
      `create table "notification" ("id" text not null, "created_at" timestamptz not null, "user_id" text not null, "kind" text not null, "title" text not null, "body" text not null, "link" text null, "read_at" timestamptz null, constraint "notification_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create index "notification_user_id_created_at_index" on "notification" ("user_id", "created_at");`,
    );

    this.addSql(
      `create table "developer_application" ("id" text not null, "created_at" timestamptz not null, "user_id" text not null, "use_case" text not null, "company_name" text null, "status" "application_status" not null default 'PENDING', "decided_by_id" text null, "decided_at" timestamptz null, "reason" text null, "question_asked_at" timestamptz null, "updated_at" timestamptz not null, constraint "developer_application_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create index "developer_application_status_created_at_index" on "developer_application" ("status", "created_at");`,
    );
    this.addSql(
      `create index "developer_application_user_id_created_at_index" on "developer_application" ("user_id", "created_at");`,
    );
    this.addSql(
      `create unique index "developer_application_open_unique" on "developer_application" ("user_id") where "status" in ('PENDING', 'QUESTION');`,
    );

    this.addSql(
      `create table "application_message" ("id" text not null, "created_at" timestamptz not null, "application_id" text not null, "author_id" text null, "from_staff" boolean not null, "body" text not null, constraint "application_message_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create index "application_message_application_id_created_at_index" on "application_message" ("application_id", "created_at");`,
    );

    this.addSql(
      `create table "product_grant" ("id" text not null, "created_at" timestamptz not null, "organization_id" text not null, "app_id" text not null, "product_id" text not null, "requested_by_id" text null, "status" "grant_status" not null default 'PENDING', "decided_by_id" text null, "decided_at" timestamptz null, "reason" text null, "decided_by_rule" text null, "unmet_rules" text[] not null, constraint "product_grant_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create unique index "product_grant_live_unique" on "product_grant" ("app_id", "product_id") where "status" in ('PENDING', 'APPROVED');`,
    );
    this.addSql(
      `create index "product_grant_status_created_at_index" on "product_grant" ("status", "created_at");`,
    );
    this.addSql(`create index "product_grant_app_id_index" on "product_grant" ("app_id");`);

    this.addSql(
      `create table "dev_environment" ("id" text not null, "created_at" timestamptz not null, "organization_id" text not null, "product_id" text not null, "label" text not null, "app_id" text null, "updated_at" timestamptz not null, constraint "dev_environment_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create index "dev_environment_organization_id_product_id_index" on "dev_environment" ("organization_id", "product_id");`,
    );
    this.addSql(
      `alter table "dev_environment" add constraint "dev_environment_organization_id_product_id_label_unique" unique ("organization_id", "product_id", "label");`,
    );

    this.addSql(
      `alter table "plan_subscription" add constraint "plan_subscription_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "plan_subscription" add constraint "plan_subscription_product_id_foreign" foreign key ("product_id") references "api_product" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "plan_subscription" add constraint "plan_subscription_plan_id_foreign" foreign key ("plan_id") references "plan" ("id") on update cascade on delete restrict;`,
    );

    this.addSql(
      `alter table "notification" add constraint "notification_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "developer_application" add constraint "developer_application_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "developer_application" add constraint "developer_application_decided_by_id_foreign" foreign key ("decided_by_id") references "users" ("id") on update cascade on delete set null;`,
    );

    this.addSql(
      `alter table "application_message" add constraint "application_message_application_id_foreign" foreign key ("application_id") references "developer_application" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "application_message" add constraint "application_message_author_id_foreign" foreign key ("author_id") references "users" ("id") on update cascade on delete set null;`,
    );

    this.addSql(
      `alter table "product_grant" add constraint "product_grant_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "product_grant" add constraint "product_grant_app_id_foreign" foreign key ("app_id") references "app" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "product_grant" add constraint "product_grant_product_id_foreign" foreign key ("product_id") references "api_product" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "product_grant" add constraint "product_grant_requested_by_id_foreign" foreign key ("requested_by_id") references "users" ("id") on update cascade on delete set null;`,
    );
    this.addSql(
      `alter table "product_grant" add constraint "product_grant_decided_by_id_foreign" foreign key ("decided_by_id") references "users" ("id") on update cascade on delete set null;`,
    );

    this.addSql(
      `alter table "dev_environment" add constraint "dev_environment_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "dev_environment" add constraint "dev_environment_product_id_foreign" foreign key ("product_id") references "api_product" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "dev_environment" add constraint "dev_environment_app_id_foreign" foreign key ("app_id") references "app" ("id") on update cascade on delete set null;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(
      `alter table "plan_subscription" drop constraint "plan_subscription_product_id_foreign";`,
    );

    this.addSql(`alter table "product_grant" drop constraint "product_grant_product_id_foreign";`);

    this.addSql(
      `alter table "dev_environment" drop constraint "dev_environment_product_id_foreign";`,
    );

    this.addSql(
      `alter table "plan_subscription" drop constraint "plan_subscription_plan_id_foreign";`,
    );

    this.addSql(
      `alter table "application_message" drop constraint "application_message_application_id_foreign";`,
    );

    this.addSql(`drop table if exists "api_product" cascade;`);

    this.addSql(`drop table if exists "domain_event" cascade;`);

    this.addSql(`drop table if exists "plan" cascade;`);

    this.addSql(`drop table if exists "plan_subscription" cascade;`);

    this.addSql(`drop table if exists "reason_template" cascade;`);

    this.addSql(`drop table if exists "notification" cascade;`);

    this.addSql(`drop table if exists "developer_application" cascade;`);

    this.addSql(`drop table if exists "application_message" cascade;`);

    this.addSql(`drop table if exists "product_grant" cascade;`);

    this.addSql(`drop table if exists "dev_environment" cascade;`);

    this.addSql(`drop type "approval_mode";`);
    this.addSql(`drop type "application_status";`);
    this.addSql(`drop type "grant_status";`);
  }
}
