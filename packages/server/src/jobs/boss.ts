import PgBoss from 'pg-boss';
import type { Services } from '../context.js';
import {
  describeConnectionFailure,
  isDatabaseUnavailable,
  PG_CONNECTION_OPTIONS,
} from '../db/availability.js';

/**
 * A pg-boss instance on the application's database (it creates and migrates its own `pgboss`
 * schema when started), logging its errors; the caller starts and stops it.
 */
export function createBoss(services: Services): PgBoss {
  const { orm, log } = services;
  const boss = new PgBoss({
    connectionString: orm.config.get('clientUrl'),
    application_name: 'portico-jobs',
    max: 3,
    ...PG_CONNECTION_OPTIONS,
  });
  boss.on('error', (error: Error) => {
    // While PostgreSQL restarts every poll fails; pg-boss goes on polling and recovers.
    if (isDatabaseUnavailable(error)) {
      log.warn({ error: describeConnectionFailure(error) }, 'job queue cannot reach the database');
    } else {
      log.error({ err: error }, 'job queue error');
    }
  });
  return boss;
}
