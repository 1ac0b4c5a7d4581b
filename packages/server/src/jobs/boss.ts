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
  // Once it is told to stop, a connection of its that PostgreSQL closes is part of the shutdown
  // (the embedded PostgreSQL stops right after it), not a fault.
  let stopping = false;
  const stop = boss.stop.bind(boss);
  boss.stop = (options) => {
    stopping = true;
    return stop(options);
  };
  boss.on('error', (error: Error) => {
    // While PostgreSQL restarts every poll fails; pg-boss goes on polling and recovers.
    if (isDatabaseUnavailable(error)) {
      log[stopping ? 'debug' : 'warn'](
        { error: describeConnectionFailure(error) },
        stopping
          ? 'job queue lost the database while stopping'
          : 'job queue cannot reach the database',
      );
    } else {
      log.error({ err: error }, 'job queue error');
    }
  });
  return boss;
}
