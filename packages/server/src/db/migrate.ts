import type { MikroORM } from '@mikro-orm/postgresql';

export async function migrate(orm: MikroORM): Promise<void> {
  await orm.getMigrator().up();
}
