import type { GatewayDb } from './gateway-db.js';
import {
  emptyHistogram,
  histogramAddSql,
  latencyBucket,
} from '../modules/usage/usage.histogram.js';

const MINUTE_MS = 60_000;

/** The month (UTC) last asked about: every verification asks, and it is nearly always this one. */
let month = { start: 0, next: 0 };

function monthOf(now: number): { start: number; next: number } {
  if (now < month.start || now >= month.next) {
    const date = new Date(now);
    month = {
      start: Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1),
      next: Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1),
    };
  }
  return month;
}

/** The first instant (UTC) of the month of `now`. */
export function monthStart(now: number): number {
  return monthOf(now).start;
}

/** The first instant (UTC) of the next month. */
export function nextMonthStart(now: number): number {
  return monthOf(now).next;
}

/** Adds `source`'s times into `target`, keeping the later one of each id. */
export function keepLatest(target: Map<string, number>, source: Map<string, number>): void {
  for (const [id, at] of source) {
    if ((target.get(id) ?? 0) < at) target.set(id, at);
  }
}

export interface UsageKey {
  organizationId: string;
  appId: string;
  productId: string;
  credentialId: string;
  environmentId: string;
}

/** A key with its part of the row ids made once, for the many events that share it. */
export interface PreparedKey extends UsageKey {
  readonly id: string;
}

export function prepareKey(key: UsageKey): PreparedKey {
  return { ...key, id: keyId(key) };
}

function keyId(key: UsageKey): string {
  return `${key.appId}|${key.productId}|${key.credentialId}|${key.environmentId}`;
}

export interface UsageAmounts {
  requests: number;
  responses: number;
  errors: number;
  units: number;
  /** Response times of the responses counted, in ms. */
  responseTimeMin: number | null;
  responseTimeMax: number | null;
  responseTimeSum: number;
}

export interface UsageRow extends UsageKey, UsageAmounts {
  bucket: number;
  /** Responses per latency bucket (see usage.histogram.ts); null until a response is added. */
  histogram: number[] | null;
}

function emptyRow(bucket: number, key: UsageKey): UsageRow {
  return {
    bucket,
    organizationId: key.organizationId,
    appId: key.appId,
    productId: key.productId,
    credentialId: key.credentialId,
    environmentId: key.environmentId,
    requests: 0,
    responses: 0,
    errors: 0,
    units: 0,
    responseTimeMin: null,
    responseTimeMax: null,
    responseTimeSum: 0,
    histogram: null,
  };
}

function addInto(row: UsageRow, amounts: UsageAmounts): void {
  row.requests += amounts.requests;
  row.responses += amounts.responses;
  row.errors += amounts.errors;
  row.units += amounts.units;
  row.responseTimeSum += amounts.responseTimeSum;
  if (amounts.responseTimeMin !== null) {
    row.responseTimeMin =
      row.responseTimeMin === null
        ? amounts.responseTimeMin
        : Math.min(row.responseTimeMin, amounts.responseTimeMin);
  }
  if (amounts.responseTimeMax !== null) {
    row.responseTimeMax =
      row.responseTimeMax === null
        ? amounts.responseTimeMax
        : Math.max(row.responseTimeMax, amounts.responseTimeMax);
  }
}

/** Adds `row`'s amounts and histogram into `into`. */
function addRows(into: UsageRow, row: UsageRow): void {
  addInto(into, row);
  if (row.histogram) {
    const histogram = (into.histogram ??= emptyHistogram());
    for (let i = 0; i < histogram.length; i++) histogram[i]! += row.histogram[i]!;
  }
}

/** Per-minute rows keyed by bucket and dimensions, added to in memory. */
export class UsageBatch {
  readonly rows = new Map<string, UsageRow>();

  /** The row a prepared key was last counted in (its events mostly share a minute). */
  private readonly lastRows = new Map<PreparedKey, UsageRow>();

  /** The row of the minute of `time` for `key`, made empty the first time. */
  private rowFor(time: number, key: UsageKey | PreparedKey): UsageRow {
    const bucket = time - (time % MINUTE_MS);
    const prepared = 'id' in key ? key : null;
    if (prepared) {
      const last = this.lastRows.get(prepared);
      if (last?.bucket === bucket) return last;
    }
    const id = `${bucket}|${prepared ? prepared.id : keyId(key)}`;
    let row = this.rows.get(id);
    if (!row) {
      row = emptyRow(bucket, key);
      this.rows.set(id, row);
    }
    if (prepared) this.lastRows.set(prepared, row);
    return row;
  }

  add(time: number, key: UsageKey, amounts: UsageAmounts): void {
    addInto(this.rowFor(time, key), amounts);
  }

  /** Counts one reported response (status, time and units) in its minute. */
  addResponse(
    time: number,
    key: UsageKey | PreparedKey,
    isError: boolean,
    responseTimeMs: number,
    units: number,
  ): void {
    const row = this.rowFor(time, key);
    row.responses += 1;
    if (isError) row.errors += 1;
    row.units += units;
    row.responseTimeSum += responseTimeMs;
    if (row.responseTimeMin === null || responseTimeMs < row.responseTimeMin) {
      row.responseTimeMin = responseTimeMs;
    }
    if (row.responseTimeMax === null || responseTimeMs > row.responseTimeMax) {
      row.responseTimeMax = responseTimeMs;
    }
    row.histogram ??= emptyHistogram();
    row.histogram[latencyBucket(responseTimeMs)]! += 1;
  }

  /** Counts one verified request (the hot path: no allocation once the row exists). */
  addRequest(time: number, key: UsageKey): void {
    this.rowFor(time, key).requests += 1;
  }

  /** Adds `other`'s rows into this batch's (copies: `other` is left as it was). */
  merge(other: UsageBatch): void {
    for (const [id, row] of other.rows) {
      let mine = this.rows.get(id);
      if (!mine) {
        mine = emptyRow(row.bucket, row);
        this.rows.set(id, mine);
      }
      addRows(mine, row);
    }
  }

  get size(): number {
    return this.rows.size;
  }
}

const EMPTY_HISTOGRAM = `{${emptyHistogram().join(',')}}`;

/** The histogram as a PostgreSQL array literal. */
function histogramText(histogram: number[] | null): string {
  return histogram ? `{${histogram.join(',')}}` : EMPTY_HISTOGRAM;
}

/** The organization rows of a batch: its rows added up per minute, organization, product and environment. */
function organizationRows(rows: Iterable<UsageRow>): UsageRow[] {
  const sums = new Map<string, UsageRow>();
  for (const row of rows) {
    const id = `${row.bucket}|${row.organizationId}|${row.productId}|${row.environmentId}`;
    let sum = sums.get(id);
    if (!sum) {
      sum = emptyRow(row.bucket, { ...row, appId: '', credentialId: '' });
      sums.set(id, sum);
    }
    addRows(sum, row);
  }
  return sortedRows(sums);
}

function sortedRows(rows: Map<string, UsageRow>): UsageRow[] {
  return [...rows.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, row]) => row);
}

/** `set` of an upsert that adds the new row's amounts into the stored one (`u`). */
const ADD_AMOUNTS = `requests = u.requests + excluded.requests,
  responses = u.responses + excluded.responses,
  errors = u.errors + excluded.errors,
  units = u.units + excluded.units,
  response_time_min = least(u.response_time_min, excluded.response_time_min),
  response_time_max = greatest(u.response_time_max, excluded.response_time_max),
  response_time_sum = u.response_time_sum + excluded.response_time_sum,
  latency_histogram = case when excluded.responses = 0 then u.latency_histogram
    else ${histogramAddSql('u.latency_histogram', 'excluded.latency_histogram')} end`;

const WRITE_SQL = `with written as (
    insert into usage_minute as u (bucket, app_id, product_id, credential_id, environment_id,
      organization_id, requests, responses, errors, units,
      response_time_min, response_time_max, response_time_sum, latency_histogram)
    select b, a, p, c, e, o, r, s, er, un, mn, mx, sm, h::bigint[]
    from unnest($1::timestamptz[], $2::text[], $3::text[], $4::text[], $5::text[],
      $6::text[], $7::bigint[], $8::bigint[], $9::bigint[], $10::bigint[],
      $11::float8[], $12::float8[], $13::float8[], $14::text[])
      as v(b, a, p, c, e, o, r, s, er, un, mn, mx, sm, h)
    on conflict (bucket, app_id, product_id, credential_id, environment_id) do update set
      ${ADD_AMOUNTS}
    returning bucket),
  organization as (
    insert into usage_org_minute as u (bucket, organization_id, product_id, environment_id,
      requests, responses, errors, units,
      response_time_min, response_time_max, response_time_sum, latency_histogram)
    select b, o, p, e, r, s, er, un, mn, mx, sm, h::bigint[]
    from unnest($15::timestamptz[], $16::text[], $17::text[], $18::text[],
      $19::bigint[], $20::bigint[], $21::bigint[], $22::bigint[],
      $23::float8[], $24::float8[], $25::float8[], $26::text[])
      as v(b, o, p, e, r, s, er, un, mn, mx, sm, h)
    on conflict (organization_id, bucket, product_id, environment_id) do update set
      ${ADD_AMOUNTS})
  insert into usage_dirty as d (level, bucket, version)
  select 'hour', hour, pg_current_xact_id()::text::bigint
  from (select distinct date_trunc('hour', bucket, 'UTC') as hour from written) w order by hour
  on conflict (level, bucket) do update set version = excluded.version`;

/**
 * Adds a batch to `usage_minute`, and its sums per organization to `usage_org_minute`, in ONE
 * statement (so all of it or none of it), rows sorted by key so that concurrent writers lock
 * rows in the same order. The same statement marks the hours it wrote to dirty
 * (`usage_dirty`, with this transaction's id), for the rollup.
 */
export async function writeUsage(
  db: GatewayDb,
  batch: UsageBatch,
  background = false,
): Promise<void> {
  if (batch.size === 0) return;
  const rows = sortedRows(batch.rows);
  const organizations = organizationRows(rows);
  await db.query(
    WRITE_SQL,
    [
      rows.map((r) => new Date(r.bucket)),
      rows.map((r) => r.appId),
      rows.map((r) => r.productId),
      rows.map((r) => r.credentialId),
      rows.map((r) => r.environmentId),
      rows.map((r) => r.organizationId),
      rows.map((r) => r.requests),
      rows.map((r) => r.responses),
      rows.map((r) => r.errors),
      rows.map((r) => r.units),
      rows.map((r) => r.responseTimeMin),
      rows.map((r) => r.responseTimeMax),
      rows.map((r) => r.responseTimeSum),
      rows.map((r) => histogramText(r.histogram)),
      organizations.map((r) => new Date(r.bucket)),
      organizations.map((r) => r.organizationId),
      organizations.map((r) => r.productId),
      organizations.map((r) => r.environmentId),
      organizations.map((r) => r.requests),
      organizations.map((r) => r.responses),
      organizations.map((r) => r.errors),
      organizations.map((r) => r.units),
      organizations.map((r) => r.responseTimeMin),
      organizations.map((r) => r.responseTimeMax),
      organizations.map((r) => r.responseTimeSum),
      organizations.map((r) => histogramText(r.histogram)),
    ],
    background,
  );
}

interface Group {
  batch: UsageBatch;
  /** Whether every batch of the group came from a timer (for the statement counts). */
  background: boolean;
  done: Promise<void>;
  settle: (error?: unknown) => void;
}

function newGroup(): Group {
  let settle: (error?: unknown) => void = () => undefined;
  const done = new Promise<void>((resolve, reject) => {
    settle = (error) => (error === undefined ? resolve() : reject(error));
  });
  // Its callers await it; a group nobody awaits any more must not end the process.
  done.catch(() => undefined);
  return { batch: new UsageBatch(), background: true, done, settle };
}

/**
 * Writes usage one statement at a time (group commit): what is added while a statement runs
 * goes into the batch of the next one, and each caller's promise settles when the statement
 * that holds its part commits (or fails: then none of that statement is written, and each
 * caller may retry or refuse). Many concurrent reports make few statements, each with the
 * rows of all of them once.
 */
export class UsageWriter {
  private next: Group | null = null;
  private running = false;
  private scheduled = false;

  constructor(private readonly db: GatewayDb) {}

  /**
   * The batch of the next statement, to add to NOW (synchronously: it is written once the
   * caller's code yields), and the promise of that statement.
   */
  nextBatch(background = false): { batch: UsageBatch; written: Promise<void> } {
    const group = (this.next ??= newGroup());
    group.background &&= background;
    if (!this.scheduled) {
      this.scheduled = true;
      queueMicrotask(() => {
        this.scheduled = false;
        void this.drain();
      });
    }
    return { batch: group.batch, written: group.done };
  }

  /** Writes a copy of `batch` with the next statement (`batch` itself is left as it was). */
  write(batch: UsageBatch, background = false): Promise<void> {
    if (batch.size === 0) return Promise.resolve();
    const next = this.nextBatch(background);
    next.batch.merge(batch);
    return next.written;
  }

  private async drain(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      for (let group = this.next; group; group = this.next) {
        this.next = null;
        try {
          await writeUsage(this.db, group.batch, group.background);
          group.settle();
        } catch (error) {
          group.settle(error ?? new Error('usage write failed'));
        }
      }
    } finally {
      this.running = false;
    }
  }
}

interface MonthCount {
  /** What the database held at the last load, plus what this instance has written since. */
  requests: number;
  units: number;
  /** Counted here and not yet written. */
  pendingRequests: number;
  /** Being written now. */
  inFlight: number;
}

interface OrgMonth {
  month: number;
  products: Map<string, MonthCount>;
  touched: boolean;
}

/**
 * This month's requests and units per organization and product, for the monthly caps:
 * loaded with a credential, counted in memory, written with the usage rows, and refreshed
 * from the database every few seconds (which brings in what other instances counted).
 */
export class MonthCounters {
  private readonly orgs = new Map<string, OrgMonth>();

  /** Whether the organization's counts for the month of `now` are held. */
  has(organizationId: string, now: number): boolean {
    return this.orgs.get(organizationId)?.month === monthStart(now);
  }

  /**
   * Sets an organization's totals as read from the database, keeping what is pending. Call it
   * only while no write is in flight (the recorder's timer runs writes and loads in turn).
   */
  load(
    organizationId: string,
    month: number,
    totals: Iterable<[productId: string, requests: number, units: number]>,
  ): void {
    const existing = this.orgs.get(organizationId);
    const products = new Map<string, MonthCount>();
    for (const [productId, requests, units] of totals) {
      const pending =
        existing?.month === month ? (existing.products.get(productId)?.pendingRequests ?? 0) : 0;
      products.set(productId, {
        requests: requests + pending,
        units,
        pendingRequests: pending,
        inFlight: 0,
      });
    }
    if (existing?.month === month) {
      for (const [productId, count] of existing.products) {
        if (!products.has(productId) && count.pendingRequests > 0) {
          products.set(productId, {
            requests: count.pendingRequests,
            units: 0,
            pendingRequests: count.pendingRequests,
            inFlight: 0,
          });
        }
      }
    }
    this.orgs.set(organizationId, { month, products, touched: false });
  }

  private count(organizationId: string, productId: string, now: number): MonthCount {
    const month = monthStart(now);
    let org = this.orgs.get(organizationId);
    if (!org || org.month !== month) {
      // A new month starts empty; the next refresh brings in what others counted.
      org = { month, products: new Map(), touched: true };
      this.orgs.set(organizationId, org);
    }
    let count = org.products.get(productId);
    if (!count) {
      count = { requests: 0, units: 0, pendingRequests: 0, inFlight: 0 };
      org.products.set(productId, count);
    }
    org.touched = true;
    return count;
  }

  get(organizationId: string, productId: string, now: number): { requests: number; units: number } {
    return this.count(organizationId, productId, now);
  }

  addRequest(organizationId: string, productId: string, now: number): void {
    const count = this.count(organizationId, productId, now);
    count.requests += 1;
    count.pendingRequests += 1;
  }

  /** Units a usage report wrote to the database (already committed). */
  addUnits(organizationId: string, productId: string, time: number, units: number): void {
    // Not held yet: the month's totals, these units included, are read when first needed.
    if (monthStart(time) !== monthStart(Date.now()) || !this.has(organizationId, time)) return;
    this.count(organizationId, productId, time).units += units;
  }

  /** A write of the pending requests starts: they are now in flight. */
  beginWrite(): void {
    for (const org of this.orgs.values()) {
      for (const count of org.products.values()) {
        count.inFlight += count.pendingRequests;
        count.pendingRequests = 0;
      }
    }
  }

  /** The write ended: written (the database has them) or failed (pending again). */
  endWrite(written: boolean): void {
    for (const org of this.orgs.values()) {
      for (const count of org.products.values()) {
        if (!written) count.pendingRequests += count.inFlight;
        count.inFlight = 0;
      }
    }
  }

  /** Organizations counted since the last call (to refresh from the database). */
  takeTouched(): string[] {
    const touched: string[] = [];
    for (const [id, org] of this.orgs) {
      if (org.touched) {
        touched.push(id);
        org.touched = false;
      }
    }
    return touched;
  }

  forget(organizationId: string): void {
    this.orgs.delete(organizationId);
  }
}
