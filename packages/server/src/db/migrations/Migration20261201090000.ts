import { Migration } from '@mikro-orm/migrations';

/**
 * Fine-grained personal access tokens:
 * - `personal_access_token`: its kind (CLASSIC for every token made before, which keep working
 *   until they expire), the organization a fine-grained token is bound to (none: the user's own
 *   account), its permissions per area, where it stands with the organization's admins (and who
 *   approved or refused it, when and why), and the address it was last used from;
 * - `organization.token_policy`: what its admins allow of tokens (ALLOW by default).
 */
export class Migration20261201090000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create type "token_policy" as enum ('ALLOW', 'REQUIRE_APPROVAL', 'FORBID');`);
    this.addSql(`create type "personal_access_token_kind" as enum ('CLASSIC', 'FINE_GRAINED');`);
    this.addSql(
      `create type "token_approval" as enum ('NOT_REQUIRED', 'PENDING', 'APPROVED', 'REFUSED');`,
    );
    this.addSql(
      `alter table "organization" add column "token_policy" "token_policy" not null default 'ALLOW';`,
    );

    this.addSql(`drop index "personal_access_token_expiry_reminder_index";`);

    this.addSql(
      `alter table "personal_access_token" add column "kind" "personal_access_token_kind" not null default 'CLASSIC', add column "organization_id" text null, add column "permissions" jsonb not null default '{}', add column "approval" "token_approval" not null default 'NOT_REQUIRED', add column "reviewed_by_id" text null, add column "reviewed_at" timestamptz null, add column "review_reason" text null, add column "last_used_ip" text null;`,
    );
    this.addSql(
      `alter table "personal_access_token" add constraint "personal_access_token_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "personal_access_token" add constraint "personal_access_token_reviewed_by_id_foreign" foreign key ("reviewed_by_id") references "users" ("id") on update cascade on delete set null;`,
    );
    this.addSql(
      `create index "personal_access_token_organization_id_created_at_index" on "personal_access_token" ("organization_id", "created_at");`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(
      `alter table "personal_access_token" drop constraint "personal_access_token_organization_id_foreign";`,
    );
    this.addSql(
      `alter table "personal_access_token" drop constraint "personal_access_token_reviewed_by_id_foreign";`,
    );

    this.addSql(`alter table "organization" drop column "token_policy";`);

    this.addSql(`drop index "personal_access_token_organization_id_created_at_index";`);
    this.addSql(
      `alter table "personal_access_token" drop column "kind", drop column "organization_id", drop column "permissions", drop column "approval", drop column "reviewed_by_id", drop column "reviewed_at", drop column "review_reason", drop column "last_used_ip";`,
    );

    this.addSql(
      `CREATE INDEX personal_access_token_expiry_reminder_index ON public.personal_access_token USING btree (expires_at) WHERE ((revoked_at IS NULL) AND (expiry_reminded_at IS NULL) AND (expires_at IS NOT NULL));`,
    );

    this.addSql(`drop type "token_policy";`);
    this.addSql(`drop type "personal_access_token_kind";`);
    this.addSql(`drop type "token_approval";`);
  }
}
