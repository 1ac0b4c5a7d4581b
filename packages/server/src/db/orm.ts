import { MikroORM, type Options, PostgreSqlDriver } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { fileURLToPath } from 'node:url';
import { ACQUIRE_TIMEOUT_MS, PG_CONNECTION_OPTIONS } from './availability.js';
import { migrationsList } from './migrations/index.js';
import { sendUnnamedStatements } from './rows.js';

export interface OrmOptions {
  clientUrl: string;
  debug?: boolean;
  /** Called with every SQL statement that is run; used to count statements. */
  onQuery?: (sql: string) => void;
  /**
   * Prepare the hand-written reads (`queryRows`) under names, parsed and planned once per
   * connection (default true); false for a pooler that cannot keep prepared statements.
   */
  preparedStatements?: boolean;
}

export const MIGRATIONS_PATH = fileURLToPath(new URL('./migrations', import.meta.url));

/**
 * knex's warnings, which it prints with console.warn. It warns of every pooled connection that
 * broke (`Connection Error: …`) as it drops it: expected while PostgreSQL restarts, and the
 * failures that matter reach the requests, which log them.
 */
function knexWarning(message: string): void {
  if (!message.startsWith('Connection Error:')) console.warn(message);
}

/** The ORM configuration (connection, migrations, conventions) for the given entities. */
export function ormConfig(entities: Options['entities'], options: OrmOptions): Options {
  const onQuery = options.onQuery;
  return {
    driver: PostgreSqlDriver,
    clientUrl: options.clientUrl,
    entities,
    extensions: [Migrator],
    discovery: { requireEntitiesArray: true },
    allowGlobalContext: false,
    forceUtcTimezone: true,
    ensureDatabase: false,
    // Dead connections (PostgreSQL restarted) are dropped and new ones made on demand; a request
    // that cannot get one in time fails with SERVICE_UNAVAILABLE instead of hanging.
    pool: { min: 0, max: 10 },
    driverOptions: {
      connection: PG_CONNECTION_OPTIONS,
      acquireConnectionTimeout: ACQUIRE_TIMEOUT_MS,
      log: { warn: knexWarning },
    },
    debug: onQuery ? ['query'] : false,
    ...(onQuery
      ? {
          logger: (message: string) => {
            onQuery(message);
          },
        }
      : {}),
    migrations: {
      path: MIGRATIONS_PATH,
      pathTs: MIGRATIONS_PATH,
      emit: 'ts',
      // The create-migration script diffs against a freshly migrated database instead.
      snapshot: false,
      migrationsList,
      transactional: true,
      allOrNothing: true,
      silent: true,
    },
  };
}

export async function initOrmWith(
  entities: Options['entities'],
  options: OrmOptions,
): Promise<MikroORM> {
  const orm = await MikroORM.init(ormConfig(entities, options));
  if (options.preparedStatements === false) sendUnnamedStatements(orm);
  return orm;
}
