import { Migration } from '@mikro-orm/migrations';

export class Migration20261122133154 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create type "credential_kind" as enum ('CONSUMER_KEY', 'BEARER_TOKEN', 'ACCESS_TOKEN', 'OAUTH2_CLIENT');`,
    );
    this.addSql(
      `create table "credential" ("id" text not null, "created_at" timestamptz not null, "app_id" text not null, "organization_id" text not null, "kind" "credential_kind" not null, "public_id" text null, "secret_hash" text not null, "last_four" text not null, "created_by_id" text null, "last_used_at" timestamptz null, "revoked_at" timestamptz null, "revoked_by_id" text null, "expires_at" timestamptz null, "rotated_from_id" text null, constraint "credential_pkey" primary key ("id"));`,
    );
    this.addSql(
      `alter table "credential" add constraint "credential_public_id_unique" unique ("public_id");`,
    );
    this.addSql(
      `alter table "credential" add constraint "credential_secret_hash_unique" unique ("secret_hash");`,
    );
    this.addSql(
      `create index "credential_app_id_created_at_index" on "credential" ("app_id", "created_at");`,
    );

    this.addSql(
      `alter table "credential" add constraint "credential_app_id_foreign" foreign key ("app_id") references "app" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "credential" add constraint "credential_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "credential" add constraint "credential_created_by_id_foreign" foreign key ("created_by_id") references "users" ("id") on update cascade on delete set null;`,
    );
    this.addSql(
      `alter table "credential" add constraint "credential_revoked_by_id_foreign" foreign key ("revoked_by_id") references "users" ("id") on update cascade on delete set null;`,
    );
    this.addSql(
      `alter table "credential" add constraint "credential_rotated_from_id_foreign" foreign key ("rotated_from_id") references "credential" ("id") on update cascade on delete set null;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "credential" drop constraint "credential_rotated_from_id_foreign";`);

    this.addSql(`drop table if exists "credential" cascade;`);

    this.addSql(`drop type "credential_kind";`);
  }
}
