import { Migration } from '@mikro-orm/migrations';

export class Migration20261130042517 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create type "mail_status" as enum ('PENDING', 'SENT', 'FAILED', 'KEPT');`);
    // Until now the table held only mail kept because no SMTP server was configured.
    this.addSql(
      `alter table "mail_message" add column "status" "mail_status" not null default 'KEPT', add column "attempts" int not null default 0, add column "next_attempt_at" timestamptz null, add column "sent_at" timestamptz null, add column "last_error" text null;`,
    );
    this.addSql(`alter table "mail_message" alter column "status" drop default;`);
    this.addSql(
      `create index "mail_message_due" on "mail_message" ("next_attempt_at", "id") where "status" = 'PENDING';`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "mail_message_due";`);
    this.addSql(
      `alter table "mail_message" drop column "status", drop column "attempts", drop column "next_attempt_at", drop column "sent_at", drop column "last_error";`,
    );

    this.addSql(`drop type "mail_status";`);
  }
}
