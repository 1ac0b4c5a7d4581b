import { pino } from 'pino';
import { GatewayDb } from '../src/gateway/gateway-db.js';
import { UsageBatch, writeUsage } from '../src/gateway/usage-recorder.js';
import type { TestServer } from './harness.js';

export interface UsageRowInput {
  bucket: Date | string;
  organizationId: string;
  appId: string;
  productId: string;
  credentialId?: string;
  environmentId?: string;
  requests?: number;
  /** Response times (ms) of the responses; errors counts how many of them failed. */
  responseTimes?: number[];
  errors?: number;
  units?: number;
}

/**
 * Writes minute rows as the gateway does (its own statement: adding to a row that exists, the
 * organization's minutes too) and marks their hours dirty, for the rollups.
 */
export async function writeMinutes(server: TestServer, rows: UsageRowInput[]): Promise<void> {
  if (rows.length === 0) return;
  const batch = new UsageBatch();
  for (const row of rows) {
    const time = new Date(row.bucket).getTime();
    const key = {
      organizationId: row.organizationId,
      appId: row.appId,
      productId: row.productId,
      credentialId: row.credentialId ?? '',
      environmentId: row.environmentId ?? '',
    };
    const times = row.responseTimes ?? [];
    const errors = row.errors ?? 0;
    batch.add(time, key, {
      requests: row.requests ?? 0,
      responses: 0,
      errors: Math.max(0, errors - times.length),
      units: row.units ?? 0,
      responseTimeMin: null,
      responseTimeMax: null,
      responseTimeSum: 0,
    });
    times.forEach((ms, i) => batch.addResponse(time, key, i < errors, ms, 0));
  }
  const db = new GatewayDb(server.databaseUrl, pino({ level: 'silent' }));
  try {
    await writeUsage(db, batch);
  } finally {
    await db.close();
  }
}

export const USAGE_FIELDS = `requests responses units errors errorRate responseTimeMin
  responseTimeAvg responseTimeMax responseTimeP50 responseTimeP95 responseTimeP99`;

export interface UsageStatsFields {
  requests: number;
  responses: number;
  units: number;
  errors: number;
  errorRate: number;
  responseTimeMin: number | null;
  responseTimeAvg: number | null;
  responseTimeMax: number | null;
  responseTimeP50: number | null;
  responseTimeP95: number | null;
  responseTimeP99: number | null;
}
