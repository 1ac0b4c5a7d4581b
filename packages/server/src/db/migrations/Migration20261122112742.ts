import { Migration } from '@mikro-orm/migrations';

export class Migration20261122112742 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create type "organization_kind" as enum ('PERSONAL', 'TEAM');`);
    this.addSql(`create type "platform_role" as enum ('DEVELOPER', 'STAFF');`);
    this.addSql(`create type "pat_scope" as enum ('READ', 'WRITE');`);
    this.addSql(`create type "member_role" as enum ('ADMIN', 'DEVELOPER');`);
    this.addSql(
      `create type "invitation_status" as enum ('PENDING', 'ACCEPTED', 'DECLINED', 'EXPIRED', 'REVOKED');`,
    );
    this.addSql(`create type "email_token_purpose" as enum ('VERIFY_EMAIL', 'RESET_PASSWORD');`);
    this.addSql(`create type "permission_level" as enum ('READ', 'READ_WRITE', 'READ_WRITE_DM');`);
    this.addSql(`create type "app_status" as enum ('PENDING', 'ACTIVE', 'REJECTED', 'SUSPENDED');`);
    this.addSql(
      `create table "mail_message" ("id" text not null, "created_at" timestamptz not null, "to" text not null, "subject" text not null, "text" text not null, constraint "mail_message_pkey" primary key ("id"));`,
    );

    this.addSql(
      `create table "organization" ("id" text not null, "created_at" timestamptz not null, "name" text not null, "slug" text not null, "kind" "organization_kind" not null, "verified_at" timestamptz null, "updated_at" timestamptz not null, constraint "organization_pkey" primary key ("id"));`,
    );
    this.addSql(
      `alter table "organization" add constraint "organization_slug_unique" unique ("slug");`,
    );

    this.addSql(
      `create table "project" ("id" text not null, "created_at" timestamptz not null, "organization_id" text not null, "name" text not null, "description" text not null default '', "use_case" text not null default '', "updated_at" timestamptz not null, constraint "project_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create index "project_organization_id_created_at_index" on "project" ("organization_id", "created_at");`,
    );

    this.addSql(
      `create table "users" ("id" text not null, "created_at" timestamptz not null, "email" text not null, "name" text not null, "password_hash" text not null, "email_verified_at" timestamptz null, "platform_role" "platform_role" not null default 'DEVELOPER', "updated_at" timestamptz not null, constraint "users_pkey" primary key ("id"));`,
    );
    this.addSql(`alter table "users" add constraint "users_email_unique" unique ("email");`);

    this.addSql(
      `create table "session" ("id" text not null, "created_at" timestamptz not null, "user_id" text not null, "token_hash" text not null, "expires_at" timestamptz not null, "user_agent" text null, "ip" text null, constraint "session_pkey" primary key ("id"));`,
    );
    this.addSql(
      `alter table "session" add constraint "session_token_hash_unique" unique ("token_hash");`,
    );

    this.addSql(
      `create table "personal_access_token" ("id" text not null, "created_at" timestamptz not null, "user_id" text not null, "name" text not null, "scopes" "pat_scope"[] not null, "token_hash" text not null, "last_four" text not null, "expires_at" timestamptz null, "last_used_at" timestamptz null, "revoked_at" timestamptz null, constraint "personal_access_token_pkey" primary key ("id"));`,
    );
    this.addSql(
      `alter table "personal_access_token" add constraint "personal_access_token_token_hash_unique" unique ("token_hash");`,
    );
    this.addSql(
      `create index "personal_access_token_user_id_created_at_index" on "personal_access_token" ("user_id", "created_at");`,
    );

    this.addSql(
      `create table "membership" ("id" text not null, "created_at" timestamptz not null, "organization_id" text not null, "user_id" text not null, "role" "member_role" not null, constraint "membership_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "membership_user_id_index" on "membership" ("user_id");`);
    this.addSql(
      `alter table "membership" add constraint "membership_organization_id_user_id_unique" unique ("organization_id", "user_id");`,
    );

    this.addSql(
      `create table "invitation" ("id" text not null, "created_at" timestamptz not null, "organization_id" text not null, "email" text not null, "role" "member_role" not null, "status" "invitation_status" not null default 'PENDING', "invited_by_id" text null, "token_hash" text not null, "expires_at" timestamptz not null, "responded_at" timestamptz null, "last_sent_at" timestamptz null, constraint "invitation_pkey" primary key ("id"));`,
    );
    this.addSql(
      `alter table "invitation" add constraint "invitation_token_hash_unique" unique ("token_hash");`,
    );
    this.addSql(`create index "invitation_email_index" on "invitation" ("email");`);
    this.addSql(
      `create index "invitation_organization_id_created_at_index" on "invitation" ("organization_id", "created_at");`,
    );

    this.addSql(
      `create table "email_token" ("id" text not null, "created_at" timestamptz not null, "user_id" text not null, "purpose" "email_token_purpose" not null, "token_hash" text not null, "expires_at" timestamptz not null, "used_at" timestamptz null, constraint "email_token_pkey" primary key ("id"));`,
    );
    this.addSql(
      `alter table "email_token" add constraint "email_token_token_hash_unique" unique ("token_hash");`,
    );

    this.addSql(
      `create table "audit_entry" ("id" text not null, "created_at" timestamptz not null, "organization_id" text null, "actor_id" text null, "action" text not null, "target_type" text not null, "target_id" text not null, "data" jsonb not null, "ip" text null, "user_agent" text null, constraint "audit_entry_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "audit_entry_target_id_index" on "audit_entry" ("target_id");`);
    this.addSql(
      `create index "audit_entry_organization_id_created_at_index" on "audit_entry" ("organization_id", "created_at");`,
    );

    this.addSql(
      `create table "app" ("id" text not null, "created_at" timestamptz not null, "organization_id" text not null, "project_id" text null, "owner_id" text not null, "name" text not null, "description" text not null default '', "website_url" text null, "callback_urls" text[] not null, "terms_of_service_url" text null, "privacy_policy_url" text null, "organization_name" text null, "organization_url" text null, "use_case" text not null default '', "icon_url" text null, "permission_level" "permission_level" not null default 'READ', "three_legged_oauth" boolean not null default false, "request_email" boolean not null default false, "attributes" jsonb not null, "status" "app_status" not null default 'ACTIVE', "status_reason" text null, "status_set_by_id" text null, "updated_at" timestamptz not null, "deleted_at" timestamptz null, "deleted_by_id" text null, "delete_reason" text null, constraint "app_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "app_project_id_index" on "app" ("project_id");`);
    this.addSql(
      `create index "app_organization_id_created_at_index" on "app" ("organization_id", "created_at");`,
    );
    this.addSql(
      `create unique index "app_org_name_live_unique" on "app" ("organization_id", lower("name")) where "deleted_at" is null;`,
    );

    this.addSql(
      `alter table "project" add constraint "project_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "session" add constraint "session_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "personal_access_token" add constraint "personal_access_token_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "membership" add constraint "membership_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "membership" add constraint "membership_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "invitation" add constraint "invitation_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "invitation" add constraint "invitation_invited_by_id_foreign" foreign key ("invited_by_id") references "users" ("id") on update cascade on delete set null;`,
    );

    this.addSql(
      `alter table "email_token" add constraint "email_token_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "audit_entry" add constraint "audit_entry_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update cascade on delete set null;`,
    );
    this.addSql(
      `alter table "audit_entry" add constraint "audit_entry_actor_id_foreign" foreign key ("actor_id") references "users" ("id") on update cascade on delete set null;`,
    );

    this.addSql(
      `alter table "app" add constraint "app_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "app" add constraint "app_project_id_foreign" foreign key ("project_id") references "project" ("id") on update cascade on delete restrict;`,
    );
    this.addSql(
      `alter table "app" add constraint "app_owner_id_foreign" foreign key ("owner_id") references "users" ("id") on update cascade on delete restrict;`,
    );
    this.addSql(
      `alter table "app" add constraint "app_status_set_by_id_foreign" foreign key ("status_set_by_id") references "users" ("id") on update cascade on delete set null;`,
    );
    this.addSql(
      `alter table "app" add constraint "app_deleted_by_id_foreign" foreign key ("deleted_by_id") references "users" ("id") on update cascade on delete set null;`,
    );
  }
}
