import type { TestProject } from 'vitest/node';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../src/db/embedded.js';
import { initOrm } from '../src/database.js';
import { findLeaks, LOG_DIR_VARIABLE } from './log-capture.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Admin connection string of the test PostgreSQL server. */
    pgAdminUrl: string;
    /** A migrated database that each test file clones. */
    templateDatabase: string;
    /** Where the servers of the run write their logs (see log-capture.ts). */
    logDir: string;
  }
}

/**
 * Starts one PostgreSQL for the run (the embedded one, or TEST_DATABASE_URL's server) and
 * migrates a template database; each test file clones it into a database of its own.
 */
export default async function setup(project: TestProject) {
  let embedded: EmbeddedDatabase | null = null;
  let scratch: string | null = null;
  let adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) {
    scratch = await mkdtemp(path.join(os.tmpdir(), 'portico-test-'));
    // Other runs on this machine may hold the port drawn: draw again.
    for (let attempt = 1; !embedded; attempt++) {
      const port = 55000 + Math.floor(Math.random() * 5000);
      try {
        embedded = await startEmbeddedPostgres(path.join(scratch, 'pg'), port, 'postgres');
      } catch (err) {
        if (attempt === 3 || !String(err).includes('Address already in use')) throw err;
      }
    }
    adminUrl = embedded.url;
  }
  const template = `portico_tpl_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database "${template}"`);
  const templateUrl = new URL(adminUrl);
  templateUrl.pathname = `/${template}`;
  const orm = await initOrm({ clientUrl: templateUrl.toString() });
  // PORTICO_TEST_SCHEMA=sync builds the template from the entities (while a change has no
  // migration yet); the default, and CI, use the committed migrations.
  if (process.env.PORTICO_TEST_SCHEMA === 'sync') await orm.schema.createSchema();
  else await orm.getMigrator().up();
  await orm.close(true);

  project.provide('pgAdminUrl', adminUrl);
  project.provide('templateDatabase', template);
  const logDir = await mkdtemp(path.join(os.tmpdir(), 'portico-test-logs-'));
  process.env[LOG_DIR_VARIABLE] = logDir;
  project.provide('logDir', logDir);

  return async () => {
    const leftovers = await admin.query<{ datname: string }>(
      `select datname from pg_database where datname like $1`,
      [`${template}%`],
    );
    for (const row of leftovers.rows) {
      await admin.query(`drop database if exists "${row.datname}" with (force)`);
    }
    await admin.query(`drop database if exists "${template}" with (force)`);
    await admin.end();
    await embedded?.stop();
    if (scratch) await rm(scratch, { recursive: true, force: true });
    // No password, session token, PAT or API secret may reach a log.
    const leaks = findLeaks(logDir);
    if (leaks.length) {
      // Vitest reports a teardown's error but keeps the run's exit code: set it too.
      process.exitCode = 1;
      const where = leaks.slice(0, 20).map((leak) => `  ${leak.file}:${leak.line}: ${leak.what}`);
      throw new Error(
        `Secrets reached the servers' logs (${leaks.length}; the logs are kept in ${logDir}):\n${where.join('\n')}`,
      );
    }
    await rm(logDir, { recursive: true, force: true });
  };
}
