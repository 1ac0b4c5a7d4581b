import { once } from 'node:events';
import type { ServerResponse } from 'node:http';
import type { EntityManager } from '@mikro-orm/postgresql';
import { stringify } from 'csv-stringify';
import { z } from 'zod';
import { recordAudit } from '../../audit/record.js';
import type { Context } from '../../context.js';
import { badInput } from '../../errors.js';
import { parseInput } from '../../graphql/validation.js';
import { requireStaff } from './staff.access.js';
import { AuditCriteriaSchema, eachAuditEntry } from './staff.audit.js';
import { AppCriteriaSchema, OrgCriteriaSchema } from './staff.criteria.js';
import {
  eachApp,
  eachOrganization,
  type InventoryApp,
  type InventoryOrg,
} from './staff.inventory.js';
import {
  HIGH_USAGE_MAX_EXPORT,
  eachPendingRequest,
  highUsageSort,
  type PendingRequest,
} from './staff.reports.js';
import {
  emptyUsage,
  usageOfApps,
  usageOfOrganizations,
  type InventoryUsage,
} from './staff.usage.js';

/*
 * Streamed exports for staff: GET /api/staff/exports/<name>.<csv|json>?criteria=<JSON>. Rows are
 * read from the database in keyset batches and written as they come, waiting whenever the
 * client is slower, so memory stays flat whatever the size. Apps and organizations carry their
 * usage (this month, share of a plan cap, last 30 days' error rate: staff.usage.ts), read for
 * each batch in one statement. Exports carry no secret, no hash and no last four characters of
 * any credential. Every export is audited (with its criteria) before its first byte.
 */

export const EXPORT_NAMES = [
  'apps',
  'organizations',
  'audit-log',
  'inactive-apps',
  'high-usage-apps',
  'pending-queue',
] as const;
export type ExportName = (typeof EXPORT_NAMES)[number];
export type ExportFormat = 'csv' | 'json';

type Cell = string | number | boolean | null;
interface Column<T> {
  header: string;
  value: (row: T) => Cell;
}

const iso = (date: Date | null): string | null => (date ? date.toISOString() : null);

/** An app or organization of an export, with its usage. */
type WithUsage<T> = T & { usage: InventoryUsage };

const round = (value: number, digits: number): number => {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
};

/** The usage columns of apps and organizations (percentages with two decimals). */
function usageColumns<T>(): Column<WithUsage<T>>[] {
  return [
    { header: 'usageMonth', value: (r) => r.usage.month },
    { header: 'requestsThisMonth', value: (r) => r.usage.requests },
    { header: 'unitsThisMonth', value: (r) => r.usage.units },
    { header: 'errorsThisMonth', value: (r) => r.usage.errors },
    { header: 'responsesThisMonth', value: (r) => r.usage.responses },
    { header: 'errorRatePercentThisMonth', value: (r) => round(r.usage.errorRate * 100, 2) },
    {
      header: 'errorRatePercentLast30Days',
      value: (r) => round(r.usage.errorRateLast30Days * 100, 2),
    },
    {
      header: 'percentOfCap',
      value: (r) => (r.usage.percentOfCap === null ? null : round(r.usage.percentOfCap, 2)),
    },
    { header: 'capProduct', value: (r) => r.usage.highestCap?.productName ?? null },
    { header: 'capPlan', value: (r) => r.usage.highestCap?.planName ?? null },
    { header: 'capMetric', value: (r) => r.usage.highestCap?.metric ?? null },
    { header: 'suggestUpgrade', value: (r) => r.usage.suggestUpgrade },
  ];
}

/** The columns of an app export. */
const APP_COLUMNS: Column<WithUsage<InventoryApp>>[] = [
  { header: 'id', value: (a) => a.id },
  { header: 'name', value: (a) => a.name },
  { header: 'status', value: (a) => a.status },
  { header: 'statusReason', value: (a) => a.statusReason },
  { header: 'organizationId', value: (a) => a.organizationId },
  { header: 'organizationName', value: (a) => a.organizationName },
  { header: 'organizationVerified', value: (a) => a.organizationVerified },
  { header: 'projectId', value: (a) => a.projectId },
  { header: 'ownerId', value: (a) => a.ownerId },
  { header: 'ownerName', value: (a) => a.ownerName },
  { header: 'ownerEmail', value: (a) => a.ownerEmail },
  {
    header: 'products',
    value: (a) => a.products.map((p) => `${p.productName} (${p.status})`).join('; '),
  },
  { header: 'createdAt', value: (a) => iso(a.createdAt) },
  { header: 'updatedAt', value: (a) => iso(a.updatedAt) },
  { header: 'lastVerifiedAt', value: (a) => iso(a.lastVerifiedAt) },
  ...usageColumns<InventoryApp>(),
];

const ORG_COLUMNS: Column<WithUsage<InventoryOrg>>[] = [
  { header: 'id', value: (o) => o.id },
  { header: 'name', value: (o) => o.name },
  { header: 'slug', value: (o) => o.slug },
  { header: 'kind', value: (o) => o.kind },
  { header: 'verifiedAt', value: (o) => iso(o.verifiedAt) },
  { header: 'memberCount', value: (o) => o.memberCount },
  { header: 'appCount', value: (o) => o.appCount },
  {
    header: 'plans',
    value: (o) => o.plans.map((p) => `${p.productName}: ${p.planName}`).join('; '),
  },
  { header: 'createdAt', value: (o) => iso(o.createdAt) },
  ...usageColumns<InventoryOrg>(),
];

interface AuditRow {
  id: string;
  createdAt: Date;
  action: string;
  actorId: string | null;
  organizationId: string | null;
  targetType: string;
  targetId: string;
  data: Record<string, unknown>;
  ip: string | null;
}

const AUDIT_COLUMNS: Column<AuditRow>[] = [
  { header: 'id', value: (e) => e.id },
  { header: 'createdAt', value: (e) => iso(e.createdAt) },
  { header: 'action', value: (e) => e.action },
  { header: 'actorId', value: (e) => e.actorId },
  { header: 'organizationId', value: (e) => e.organizationId },
  { header: 'targetType', value: (e) => e.targetType },
  { header: 'targetId', value: (e) => e.targetId },
  { header: 'data', value: (e) => JSON.stringify(e.data) },
  { header: 'ip', value: (e) => e.ip },
];

const PENDING_COLUMNS: Column<PendingRequest>[] = [
  { header: 'grantId', value: (r) => r.grantId },
  { header: 'appId', value: (r) => r.appId },
  { header: 'appName', value: (r) => r.appName },
  { header: 'organizationId', value: (r) => r.organizationId },
  { header: 'organizationName', value: (r) => r.organizationName },
  { header: 'productId', value: (r) => r.productId },
  { header: 'productName', value: (r) => r.productName },
  { header: 'requestedAt', value: (r) => iso(r.requestedAt) },
  { header: 'ageHours', value: (r) => r.ageHours },
];

/** The JSON form of an app keeps its products as a list. */
const appJson = (a: WithUsage<InventoryApp>): Record<string, unknown> => ({
  ...Object.fromEntries(APP_COLUMNS.map((c) => [c.header, c.value(a)])),
  products: a.products,
});
const orgJson = (o: WithUsage<InventoryOrg>): Record<string, unknown> => ({
  ...Object.fromEntries(ORG_COLUMNS.map((c) => [c.header, c.value(o)])),
  plans: o.plans,
});

interface ExportRow {
  cells: Cell[];
  json: Record<string, unknown>;
}

/** An export's header and its rows, each as CSV cells and as a JSON object. */
interface ExportSource {
  headers: string[];
  rows: AsyncGenerator<ExportRow[]>;
}

function exportSource<T>(
  columns: Column<T>[],
  json: (row: T) => Record<string, unknown>,
  batches: AsyncGenerator<T[]>,
): ExportSource {
  async function* rows(): AsyncGenerator<ExportRow[]> {
    for await (const batch of batches) {
      yield batch.map((row) => ({ cells: columns.map((c) => c.value(row)), json: json(row) }));
    }
  }
  return { headers: columns.map((c) => c.header), rows: rows() };
}

const rowsOf =
  <T>(columns: Column<T>[]) =>
  (row: T) =>
    Object.fromEntries(columns.map((c) => [c.header, c.value(row)]));

const InactiveSchema = z.object({
  days: z.coerce.number().int().min(1).max(3650).default(30),
});

const HighUsageSchema = z.object({
  by: z.enum(['REQUESTS', 'PERCENT_OF_CAP']).default('REQUESTS'),
  top: z.coerce
    .number()
    .int('Give a whole number of apps.')
    .min(1, 'At least 1 app.')
    .max(HIGH_USAGE_MAX_EXPORT, `At most ${HIGH_USAGE_MAX_EXPORT} apps.`)
    .default(20),
});

/** Each batch of apps with its usage (one statement per batch). */
async function* appsWithUsage(
  em: EntityManager,
  batches: AsyncGenerator<InventoryApp[]>,
): AsyncGenerator<WithUsage<InventoryApp>[]> {
  for await (const batch of batches) {
    const now = new Date();
    const usage = await usageOfApps(
      em,
      batch.map((a) => a.id),
      now,
    );
    yield batch.map((a) => ({ ...a, usage: usage.get(a.id) ?? emptyUsage(now) }));
  }
}

async function* organizationsWithUsage(
  em: EntityManager,
  batches: AsyncGenerator<InventoryOrg[]>,
): AsyncGenerator<WithUsage<InventoryOrg>[]> {
  for await (const batch of batches) {
    const now = new Date();
    const usage = await usageOfOrganizations(
      em,
      batch.map((o) => o.id),
      now,
    );
    yield batch.map((o) => ({ ...o, usage: usage.get(o.id) ?? emptyUsage(now) }));
  }
}

function parseCriteria(query: Record<string, unknown>): unknown {
  const raw = query.criteria;
  if (raw === undefined || raw === '') return {};
  if (typeof raw !== 'string') throw badInput('criteria', 'Pass the criteria once, as JSON.');
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    throw badInput('criteria', 'The criteria are not valid JSON.');
  }
}

async function* auditRows(ctx: Context, criteria: z.infer<typeof AuditCriteriaSchema>) {
  for await (const batch of eachAuditEntry(ctx.em.fork(), criteria)) {
    yield batch.map((e): AuditRow => ({
      id: e.id,
      createdAt: e.createdAt,
      action: e.action,
      actorId: e.actor?.id ?? null,
      organizationId: e.organization?.id ?? null,
      targetType: e.targetType,
      targetId: e.targetId,
      data: e.data,
      ip: e.ip,
    }));
  }
}

/** What an export reads, from its name and query; the criteria it audits. */
function sourceOf(
  ctx: Context,
  name: ExportName,
  query: Record<string, unknown>,
): { source: ExportSource; criteria: Record<string, unknown> } {
  const em = ctx.em.fork();
  switch (name) {
    case 'apps': {
      const criteria = parseInput(AppCriteriaSchema, parseCriteria(query));
      return {
        source: exportSource(APP_COLUMNS, appJson, appsWithUsage(em, eachApp(em, criteria))),
        criteria: { ...criteria },
      };
    }
    case 'inactive-apps': {
      const { days } = parseInput(InactiveSchema, query);
      return {
        source: exportSource(
          APP_COLUMNS,
          appJson,
          appsWithUsage(em, eachApp(em, { inactiveDays: days })),
        ),
        criteria: { inactiveDays: days },
      };
    }
    case 'high-usage-apps': {
      const { by, top } = parseInput(HighUsageSchema, query);
      const criteria = parseInput(AppCriteriaSchema, parseCriteria(query));
      const apps = eachApp(em, criteria, {
        sort: highUsageSort(by),
        limit: top,
        withUsageOnly: true,
      });
      return {
        source: exportSource(APP_COLUMNS, appJson, appsWithUsage(em, apps)),
        criteria: { ...criteria, by, top },
      };
    }
    case 'organizations': {
      const criteria = parseInput(OrgCriteriaSchema, parseCriteria(query));
      return {
        source: exportSource(
          ORG_COLUMNS,
          orgJson,
          organizationsWithUsage(em, eachOrganization(em, criteria)),
        ),
        criteria: { ...criteria },
      };
    }
    case 'audit-log': {
      const criteria = parseInput(AuditCriteriaSchema, parseCriteria(query));
      return {
        source: exportSource(AUDIT_COLUMNS, rowsOf(AUDIT_COLUMNS), auditRows(ctx, criteria)),
        criteria: { ...criteria },
      };
    }
    case 'pending-queue':
      return {
        source: exportSource(PENDING_COLUMNS, rowsOf(PENDING_COLUMNS), eachPendingRequest(em)),
        criteria: {},
      };
  }
}

/** Writes `chunk`, waiting for the client when its buffer is full. */
async function write(out: NodeJS.WritableStream, chunk: string): Promise<void> {
  if (!out.write(chunk)) await once(out, 'drain');
}

export function isExportName(name: string): name is ExportName {
  return (EXPORT_NAMES as readonly string[]).includes(name);
}

/**
 * Streams the export `name` in `format` to `res`: staff only (FORBIDDEN otherwise, before any
 * byte), audited first. Refusals are thrown as typed errors for the route to answer.
 */
export async function streamExport(
  ctx: Context,
  name: ExportName,
  format: ExportFormat,
  query: Record<string, unknown>,
  res: ServerResponse,
): Promise<number> {
  requireStaff(ctx);
  const { source, criteria } = sourceOf(ctx, name, query);
  await ctx.em.fork().transactional(async (em) => {
    recordAudit(em, ctx, {
      organizationId: null,
      action: 'export.create',
      targetType: 'Export',
      targetId: name,
      data: { export: name, format, criteria: jsonSafe(criteria) },
    });
  });
  const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-');
  res.statusCode = 200;
  res.setHeader(
    'content-type',
    format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8',
  );
  res.setHeader('content-disposition', `attachment; filename="portico-${name}-${stamp}.${format}"`);
  res.setHeader('cache-control', 'no-store');
  let count = 0;
  if (format === 'csv') {
    // Booleans as true / false (csv-stringify writes 1 and an empty cell otherwise).
    const csv = stringify({
      header: true,
      columns: source.headers,
      cast: { boolean: (value) => (value ? 'true' : 'false') },
    });
    csv.pipe(res, { end: false });
    for await (const batch of source.rows) {
      for (const row of batch) {
        count += 1;
        if (!csv.write(row.cells)) await once(csv, 'drain');
      }
    }
    csv.end();
    await once(csv, 'end');
  } else {
    await write(res, '[');
    for await (const batch of source.rows) {
      let chunk = '';
      for (const row of batch) {
        chunk += `${count === 0 ? '\n' : ',\n'}${JSON.stringify(row.json)}`;
        count += 1;
      }
      await write(res, chunk);
    }
    await write(res, count ? '\n]\n' : ']\n');
  }
  res.end();
  return count;
}

function jsonSafe(value: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
}
