// The scratch PostgreSQL database of a benchmark: BENCH_DATABASE_URL (an admin URL; a database
// is created for the run and dropped after it), else an embedded PostgreSQL in a temporary
// folder, removed after the run.
import { createRequire } from 'node:module';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type * as Pg from 'pg';
import { startEmbeddedPostgres } from '../../packages/server/src/db/embedded.js';
import { freePort } from '../../packages/server/test/nginx.js';

// Benchmarks live outside packages/server, where Node cannot resolve its dependencies.
const require = createRequire(new URL('../../packages/server/package.json', import.meta.url));
const pg = require('pg') as typeof Pg;

export interface BenchDatabase {
  url: string;
  /** The PostgreSQL server process (its postmaster), when it is the embedded one. */
  pid(): number | null;
  drop(): Promise<void>;
}

async function adminQuery(adminUrl: string, sql: string): Promise<void> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(sql);
  } finally {
    await admin.end();
  }
}

/**
 * An embedded PostgreSQL on a port nobody listens on. Another process may take the port between
 * the check and PostgreSQL's bind: then it starts again on another one.
 */
async function startOnFreePort(
  dir: string,
  database: string,
): ReturnType<typeof startEmbeddedPostgres> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startEmbeddedPostgres(dir, await freePort(), database);
    } catch (err) {
      if (attempt === 3 || !String(err).includes('already in use')) throw err;
    }
  }
}

export async function openBenchDatabase(): Promise<BenchDatabase> {
  const database = `portico_bench_${process.pid}`;
  const adminUrl = process.env.BENCH_DATABASE_URL;
  if (adminUrl) {
    await adminQuery(adminUrl, `create database "${database}"`);
    const url = new URL(adminUrl);
    url.pathname = `/${database}`;
    return {
      url: url.toString(),
      pid: () => null,
      drop: () => adminQuery(adminUrl, `drop database if exists "${database}" with (force)`),
    };
  }
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'portico-bench-'));
  const embedded = await startOnFreePort(path.join(scratch, 'pg'), database);
  return {
    url: embedded.url,
    pid: () => embedded.pid,
    async drop() {
      await embedded.stop();
      await rm(scratch, { recursive: true, force: true });
    },
  };
}
