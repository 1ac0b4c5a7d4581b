import pg from 'pg';
import type { Logger } from 'pino';

/**
 * The gateway's own small connection pool. Nothing on the hot path of a cache hit uses it;
 * `queries` counts every statement sent, so tests and benchmarks can prove that.
 */
export class GatewayDb {
  private readonly pool: pg.Pool;
  queries = 0;

  constructor(connectionString: string, log: Logger, max = 4) {
    this.pool = new pg.Pool({ connectionString, max, application_name: 'portico-gateway' });
    this.pool.on('error', (err) => log.warn({ err }, 'gateway database connection error'));
  }

  async query<R extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<R[]> {
    this.queries += 1;
    const result = await this.pool.query<R>(sql, params);
    return result.rows;
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
