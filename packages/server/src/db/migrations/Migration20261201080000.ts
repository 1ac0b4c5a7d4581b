import { Migration } from '@mikro-orm/migrations';

/**
 * The API catalogue: per-product settings (public docs, Labs), documents with their versions
 * (full-text indexed), endpoints read from the published OpenAPI description (indexed too),
 * changelog entries, sandbox tokens for the try-it console, and Labs feedback.
 */
export class Migration20261201080000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create type "feedback_status" as enum ('OPEN', 'ANSWERED', 'CLOSED');`);
    this.addSql(
      `create type "document_kind" as enum ('OVERVIEW', 'QUICK_START', 'MIGRATION_GUIDE', 'GUIDE', 'OPENAPI');`,
    );
    this.addSql(
      `create type "changelog_kind" as enum ('NEW', 'CHANGED', 'DEPRECATED', 'REMOVED');`,
    );
    this.addSql(
      `create table "product_catalogue" ("id" text not null, "created_at" timestamptz not null, "product_id" text not null, "docs_public" boolean not null default false, "labs" boolean not null default false, "api_base_url" text null, "updated_at" timestamptz not null, constraint "product_catalogue_pkey" primary key ("id"));`,
    );
    this.addSql(
      `alter table "product_catalogue" add constraint "product_catalogue_product_id_unique" unique ("product_id");`,
    );

    this.addSql(
      `create table "labs_feedback" ("id" text not null, "created_at" timestamptz not null, "product_id" text not null, "author_id" text not null, "rating" smallint not null, "text" text not null, "endpoint_method" text null, "endpoint_path" text null, "status" "feedback_status" not null, "answer" text null, "answered_by_id" text null, "answered_at" timestamptz null, "closed_at" timestamptz null, constraint "labs_feedback_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create index "labs_feedback_author_id_created_at_index" on "labs_feedback" ("author_id", "created_at");`,
    );
    this.addSql(
      `create index "labs_feedback_product_id_created_at_index" on "labs_feedback" ("product_id", "created_at");`,
    );

    this.addSql(
      `create table "product_document" ("id" text not null, "created_at" timestamptz not null, "product_id" text not null, "kind" "document_kind" not null, "slug" text not null, "position" int not null default 0, "published_revision_id" text null, "latest_number" int not null default 0, "updated_at" timestamptz not null, constraint "product_document_pkey" primary key ("id"));`,
    );
    this.addSql(
      `alter table "product_document" add constraint "product_document_product_id_slug_unique" unique ("product_id", "slug");`,
    );

    this.addSql(
      `create table "document_revision" ("id" text not null, "created_at" timestamptz not null, "document_id" text not null, "number" int not null, "title" text not null, "source" text not null, "note" text not null, "author_id" text null, "published_at" timestamptz null, "published_by_id" text null, constraint "document_revision_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create index "document_revision_search_index" on "document_revision" using gin ((setweight(to_tsvector('english'::regconfig, "title"), 'A') || setweight(to_tsvector('english'::regconfig, "source"), 'B')));`,
    );
    this.addSql(
      `alter table "document_revision" add constraint "document_revision_document_id_number_unique" unique ("document_id", "number");`,
    );

    this.addSql(
      `create table "api_endpoint" ("id" text not null, "created_at" timestamptz not null, "product_id" text not null, "revision_id" text not null, "method" text not null, "path" text not null, "operation_id" text not null, "summary" text not null, "description" text not null, "tags" text[] not null, "tags_text" text not null, "deprecated" boolean not null, "position" int not null, "details" jsonb not null, constraint "api_endpoint_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create index "api_endpoint_search_index" on "api_endpoint" using gin ((setweight(to_tsvector('english'::regconfig, "summary" || ' ' || "operation_id" || ' ' || "path"), 'A') || setweight(to_tsvector('english'::regconfig, "description" || ' ' || "tags_text"), 'B')));`,
    );
    this.addSql(
      `create index "api_endpoint_product_id_position_index" on "api_endpoint" ("product_id", "position");`,
    );

    this.addSql(
      `create table "changelog_entry" ("id" text not null, "created_at" timestamptz not null, "product_id" text not null, "kind" "changelog_kind" not null, "title" text not null, "body" text not null, "endpoint_method" text null, "endpoint_path" text null, "deprecation_at" timestamptz null, "sunset_at" timestamptz null, "published_at" timestamptz null, "author_id" text null, "sunset_notice_sent_at" timestamptz null, "updated_at" timestamptz not null, constraint "changelog_entry_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create index "changelog_entry_sunset_notice_index" on "changelog_entry" ("sunset_at") where "published_at" is not null and "sunset_notice_sent_at" is null and "sunset_at" is not null;`,
    );
    this.addSql(
      `create index "changelog_entry_product_id_published_at_index" on "changelog_entry" ("product_id", "published_at");`,
    );

    this.addSql(
      `create table "sandbox_token" ("id" text not null, "created_at" timestamptz not null, "app_id" text not null, "organization_id" text not null, "product_id" text not null, "secret_hash" text not null, "last_four" text not null, "permission_level" "permission_level" not null, "expires_at" timestamptz not null, "created_by_id" text null, constraint "sandbox_token_pkey" primary key ("id"));`,
    );
    this.addSql(
      `alter table "sandbox_token" add constraint "sandbox_token_secret_hash_unique" unique ("secret_hash");`,
    );
    this.addSql(
      `create index "sandbox_token_app_id_created_at_index" on "sandbox_token" ("app_id", "created_at");`,
    );

    this.addSql(
      `alter table "product_catalogue" add constraint "product_catalogue_product_id_foreign" foreign key ("product_id") references "api_product" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "labs_feedback" add constraint "labs_feedback_product_id_foreign" foreign key ("product_id") references "api_product" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "labs_feedback" add constraint "labs_feedback_author_id_foreign" foreign key ("author_id") references "users" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "labs_feedback" add constraint "labs_feedback_answered_by_id_foreign" foreign key ("answered_by_id") references "users" ("id") on update cascade on delete set null;`,
    );

    this.addSql(
      `alter table "product_document" add constraint "product_document_product_id_foreign" foreign key ("product_id") references "api_product" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "product_document" add constraint "product_document_published_revision_id_foreign" foreign key ("published_revision_id") references "document_revision" ("id") on update cascade on delete set null;`,
    );

    this.addSql(
      `alter table "document_revision" add constraint "document_revision_document_id_foreign" foreign key ("document_id") references "product_document" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "document_revision" add constraint "document_revision_author_id_foreign" foreign key ("author_id") references "users" ("id") on update cascade on delete set null;`,
    );
    this.addSql(
      `alter table "document_revision" add constraint "document_revision_published_by_id_foreign" foreign key ("published_by_id") references "users" ("id") on update cascade on delete set null;`,
    );

    this.addSql(
      `alter table "api_endpoint" add constraint "api_endpoint_product_id_foreign" foreign key ("product_id") references "api_product" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "api_endpoint" add constraint "api_endpoint_revision_id_foreign" foreign key ("revision_id") references "document_revision" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "changelog_entry" add constraint "changelog_entry_product_id_foreign" foreign key ("product_id") references "api_product" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "changelog_entry" add constraint "changelog_entry_author_id_foreign" foreign key ("author_id") references "users" ("id") on update cascade on delete set null;`,
    );

    this.addSql(
      `alter table "sandbox_token" add constraint "sandbox_token_app_id_foreign" foreign key ("app_id") references "app" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "sandbox_token" add constraint "sandbox_token_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "sandbox_token" add constraint "sandbox_token_product_id_foreign" foreign key ("product_id") references "api_product" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "sandbox_token" add constraint "sandbox_token_created_by_id_foreign" foreign key ("created_by_id") references "users" ("id") on update cascade on delete set null;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(
      `alter table "document_revision" drop constraint "document_revision_document_id_foreign";`,
    );

    this.addSql(
      `alter table "product_document" drop constraint "product_document_published_revision_id_foreign";`,
    );

    this.addSql(`alter table "api_endpoint" drop constraint "api_endpoint_revision_id_foreign";`);

    this.addSql(`drop table if exists "product_catalogue" cascade;`);

    this.addSql(`drop table if exists "labs_feedback" cascade;`);

    this.addSql(`drop table if exists "product_document" cascade;`);

    this.addSql(`drop table if exists "document_revision" cascade;`);

    this.addSql(`drop table if exists "api_endpoint" cascade;`);

    this.addSql(`drop table if exists "changelog_entry" cascade;`);

    this.addSql(`drop table if exists "sandbox_token" cascade;`);

    this.addSql(`drop type "feedback_status";`);
    this.addSql(`drop type "document_kind";`);
    this.addSql(`drop type "changelog_kind";`);
  }
}
