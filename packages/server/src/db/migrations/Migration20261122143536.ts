import { Migration } from '@mikro-orm/migrations';

export class Migration20261122143536 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `alter table "personal_access_token" add column "expiry_reminded_at" timestamptz null;`,
    );
    this.addSql(
      `create index "personal_access_token_expiry_reminder_index" on "personal_access_token" ("expires_at") where "revoked_at" is null and "expiry_reminded_at" is null and "expires_at" is not null;`,
    );

    this.addSql(`alter table "credential" add column "expiry_reminded_at" timestamptz null;`);
    this.addSql(
      `create index "credential_expiry_reminder_index" on "credential" ("expires_at") where "revoked_at" is null and "expiry_reminded_at" is null and "expires_at" is not null;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "credential_expiry_reminder_index";`);
    this.addSql(`alter table "credential" drop column "expiry_reminded_at";`);

    this.addSql(`drop index "personal_access_token_expiry_reminder_index";`);
    this.addSql(`alter table "personal_access_token" drop column "expiry_reminded_at";`);
  }
}
