import { Migration } from '@mikro-orm/migrations';

/**
 * OAuth 2.0 and JWT: the authorization server's storage (`oauth_record`), its signing keys,
 * the apps users authorized, and the public keys apps authenticate with (`app_key`).
 */
export class Migration20261201030000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "oauth_record" (
      "kind" text not null,
      "id" text not null,
      "payload" jsonb not null,
      "grant_id" text null,
      "uid" text null,
      "user_code" text null,
      "expires_at" timestamptz null,
      "consumed_at" timestamptz null,
      constraint "oauth_record_pkey" primary key ("kind", "id")
    );`);
    this.addSql(`create index "oauth_record_grant_id_index" on "oauth_record" ("grant_id");`);
    this.addSql(`create index "oauth_record_expires_at_index" on "oauth_record" ("expires_at");`);
    this.addSql(
      `create index "oauth_record_uid_index" on "oauth_record" ("uid") where "uid" is not null;`,
    );

    this.addSql(`create table "oauth_signing_key" (
      "id" text not null,
      "created_at" timestamptz not null,
      "kid" text not null,
      "public_jwk" jsonb not null,
      "private_jwk" text not null,
      "retired_at" timestamptz null,
      "expires_at" timestamptz null,
      constraint "oauth_signing_key_pkey" primary key ("id")
    );`);
    this.addSql(
      `alter table "oauth_signing_key" add constraint "oauth_signing_key_kid_unique" unique ("kid");`,
    );

    this.addSql(`create table "oauth_authorization" (
      "id" text not null,
      "created_at" timestamptz not null,
      "user_id" text not null,
      "app_id" text not null,
      "organization_id" text not null,
      "client_id" text not null,
      "grant_id" text not null,
      "scopes" text[] not null,
      "approved_at" timestamptz not null,
      "last_used_at" timestamptz null,
      "revoked_at" timestamptz null,
      constraint "oauth_authorization_pkey" primary key ("id")
    );`);
    this.addSql(
      `alter table "oauth_authorization" add constraint "oauth_authorization_user_id_app_id_unique" unique ("user_id", "app_id");`,
    );
    this.addSql(
      `create index "oauth_authorization_app_id_index" on "oauth_authorization" ("app_id");`,
    );
    this.addSql(
      `alter table "oauth_authorization" add constraint "oauth_authorization_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "oauth_authorization" add constraint "oauth_authorization_app_id_foreign" foreign key ("app_id") references "app" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "oauth_authorization" add constraint "oauth_authorization_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(`create table "app_key" (
      "id" text not null,
      "created_at" timestamptz not null,
      "app_id" text not null,
      "organization_id" text not null,
      "kid" text not null,
      "key_type" text not null,
      "public_jwk" jsonb null,
      "jwks_url" text null,
      "created_by_id" text null,
      "removed_at" timestamptz null,
      constraint "app_key_pkey" primary key ("id")
    );`);
    this.addSql(`create index "app_key_app_id_index" on "app_key" ("app_id");`);
    this.addSql(
      `alter table "app_key" add constraint "app_key_app_id_foreign" foreign key ("app_id") references "app" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "app_key" add constraint "app_key_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "app_key" add constraint "app_key_created_by_id_foreign" foreign key ("created_by_id") references "users" ("id") on update cascade on delete set null;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "app_key" cascade;`);
    this.addSql(`drop table if exists "oauth_authorization" cascade;`);
    this.addSql(`drop table if exists "oauth_signing_key" cascade;`);
    this.addSql(`drop table if exists "oauth_record" cascade;`);
  }
}
