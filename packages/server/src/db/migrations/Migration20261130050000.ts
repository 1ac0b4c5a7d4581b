import { Migration } from '@mikro-orm/migrations';

/**
 * `app_effective_grant`: per app and product, the latest request that was not withdrawn. The
 * one definition of an app's effective grants, read by the app-lifecycle status rule and by
 * the gateway's credential cache.
 */
export class Migration20261130050000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create view "app_effective_grant" as
  select distinct on (g.app_id, g.product_id)
    g.app_id, g.product_id, g.organization_id, g.id as grant_id, g.status
  from "product_grant" g
  where g.status <> 'WITHDRAWN'
  order by g.app_id, g.product_id, g.created_at desc, g.id desc;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop view if exists "app_effective_grant";`);
  }
}
