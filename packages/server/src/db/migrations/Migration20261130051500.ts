import { Migration } from '@mikro-orm/migrations';

/**
 * `users.activated_at`: a signed-up account is usable once the link mailed to its address is
 * opened. Every account made before this is taken as activated when it was created.
 */
export class Migration20261130051500 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "users" add column "activated_at" timestamptz null;`);
    this.addSql(`update "users" set "activated_at" = "created_at";`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "users" drop column "activated_at";`);
  }
}
