import pg from 'pg';
import type { Logger } from 'pino';
import { describeConnectionFailure, PG_CONNECTION_OPTIONS } from '../db/availability.js';

/**
 * The gateway's own small connection pool. Nothing on the hot path of a cache hit uses it:
 * `queries` counts the statements a request waited on (cache misses, gateway-token and
 * usage-report lookups and writes), `backgroundQueries` those of timers (batched usage and
 * last-used writes, catalog and monthly-total reloads), so tests and benchmarks can prove it.
 */
export class GatewayDb {
  private readonly pool: pg.Pool;
  queries = 0;
  backgroundQueries = 0;

  constructor(connectionString: string, log: Logger, max = 4) {
    this.pool = new pg.Pool({
      connectionString,
      max,
      application_name: 'portico-gateway',
      ...PG_CONNECTION_OPTIONS,
    });
    // An idle connection broke (PostgreSQL restarted): the pool drops it and makes new ones.
    this.pool.on('error', (err) =>
      log.warn({ error: describeConnectionFailure(err) }, 'gateway database connection lost'),
    );
  }

  async query<R extends pg.QueryResultRow>(
    sql: string,
    params: unknown[] = [],
    background = false,
  ): Promise<R[]> {
    if (background) this.backgroundQueries += 1;
    else this.queries += 1;
    const result = await this.pool.query<R>(sql, params);
    return result.rows;
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
