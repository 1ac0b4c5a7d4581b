import { Credential } from '../src/modules/credentials/credentials.entity.js';
import { App } from '../src/modules/apps/apps.entity.js';
import type { TestClient, TestServer } from './harness.js';

/** The staff console's operations as the web app sends them. */
export const STAFF_APP_FIELDS = `id name status statusReason createdAt lastVerifiedAt organizationId
  organizationName organizationVerified ownerId ownerName ownerEmail products { productId productName status }`;

export interface StaffAppFields {
  id: string;
  name: string;
  status: string;
  statusReason: string | null;
  createdAt: string;
  lastVerifiedAt: string | null;
  organizationId: string;
  organizationName: string;
  organizationVerified: boolean;
  ownerId: string;
  ownerName: string;
  ownerEmail: string;
  products: { productId: string; productName: string; status: string }[];
}

export const STAFF_APPS = `query ($filter: StaffAppFilter, $sort: StaffAppSort, $direction: SortDirection, $first: Int, $after: String) {
  staffApps(filter: $filter, sort: $sort, direction: $direction, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } nodes { ${STAFF_APP_FIELDS} }
  }
}`;

export interface StaffAppsPage {
  staffApps: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    nodes: StaffAppFields[];
  };
}

export async function staffApps(
  client: TestClient,
  variables: Record<string, unknown>,
): Promise<StaffAppsPage['staffApps']> {
  return (await client.ok<StaffAppsPage>(STAFF_APPS, variables)).staffApps;
}

export const BULK_RUN_FIELDS = `id action status reason graceDays changeCount skipCount appliedCount failedCount total refusal criteria
  items(first: 100) { totalCount nodes { position appId plan skipReason state failure detail } }`;

export interface BulkRunFields {
  id: string;
  action: string;
  status: string;
  reason: string | null;
  graceDays: number | null;
  changeCount: number;
  skipCount: number;
  appliedCount: number;
  failedCount: number;
  total: number;
  refusal: string | null;
  criteria: Record<string, unknown>;
  items: {
    totalCount: number;
    nodes: {
      position: number;
      appId: string;
      plan: 'CHANGE' | 'SKIP';
      skipReason: string | null;
      state: string;
      failure: string | null;
      detail: Record<string, unknown>;
    }[];
  };
}

export const PLAN_BULK_RUN = `mutation ($input: PlanBulkRunInput!) { planBulkRun(input: $input) { run { ${BULK_RUN_FIELDS} } } }`;
export const START_BULK_RUN = `mutation ($input: StartBulkRunInput!) { startBulkRun(input: $input) { run { ${BULK_RUN_FIELDS} } } }`;
export const BULK_RUN = `query ($id: ID!) { bulkRun(id: $id) { ${BULK_RUN_FIELDS} } }`;

export async function planBulkRun(
  client: TestClient,
  input: Record<string, unknown>,
): Promise<BulkRunFields> {
  return (await client.ok<{ planBulkRun: { run: BulkRunFields } }>(PLAN_BULK_RUN, { input }))
    .planBulkRun.run;
}

export async function startBulkRun(client: TestClient, runId: string): Promise<BulkRunFields> {
  return (
    await client.ok<{ startBulkRun: { run: BulkRunFields } }>(START_BULK_RUN, {
      input: { runId },
    })
  ).startBulkRun.run;
}

export async function bulkRun(client: TestClient, id: string): Promise<BulkRunFields> {
  const data = await client.ok<{ bulkRun: BulkRunFields | null }>(BULK_RUN, { id });
  if (!data.bulkRun) throw new Error(`No bulk run ${id}`);
  return data.bulkRun;
}

/** Waits until the run is FINISHED (or REFUSED), polling. */
export async function finishedRun(
  client: TestClient,
  id: string,
  timeoutMs = 20_000,
): Promise<BulkRunFields> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const run = await bulkRun(client, id);
    if (run.status === 'FINISHED' || run.status === 'REFUSED') return run;
    if (Date.now() > deadline) throw new Error(`Run ${id} is still ${run.status}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Sets when the app's credentials were last used (a verified request), through the ORM. */
export async function setLastUsed(server: TestServer, appId: string, at: Date): Promise<void> {
  await server.orm.em.fork().nativeUpdate(Credential, { app: appId }, { lastUsedAt: at });
}

/** Moves an app's creation time (for created-range and inactivity filters), through the ORM. */
export async function setCreatedAt(server: TestServer, appId: string, at: Date): Promise<void> {
  await server.orm.em.fork().nativeUpdate(App, { id: appId }, { createdAt: at });
}
