import { ref } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AuditEntry } from '../audit/audit.entity.js';
import { generateToken, sha256 } from '../crypto.js';
import type { User } from '../modules/accounts/accounts.entity.js';
import { App, AppStatus, PermissionLevel } from '../modules/apps/apps.entity.js';
import { Credential, CredentialKind } from '../modules/credentials/credentials.entity.js';
import { GrantStatus, ProductGrant } from '../modules/grants/grants.entity.js';
import {
  MemberRole,
  Membership,
  Organization,
  OrganizationKind,
} from '../modules/orgs/orgs.entity.js';
import type { ApiProduct } from '../modules/products/products.entity.js';
import {
  BulkAction,
  BulkItemPlan,
  BulkItemState,
  BulkRun,
  BulkRunItem,
  BulkRunStatus,
} from '../modules/staff/staff.entity.js';

/*
 * Demo data for the staff console, so that each report has rows on a fresh start: a verified
 * organization with an app idle for two months (inactive apps), a suspended app and the
 * finished bulk run that suspended it (bulk runs, audit log), and requests staff decided after
 * a while (time to decision in the pending queue report). The high-usage report's rows come
 * from the demo usage (seed/usage.ts), which gives Ops Dashboard a little traffic too, with
 * about 7 % errors.
 */

const DAY = 86_400_000;
const ago = (ms: number): Date => new Date(Date.now() - ms);

function audit(
  tx: EntityManager,
  org: Organization | null,
  actor: User,
  action: string,
  target: { type: string; id: string },
  data: Record<string, unknown>,
  at: Date,
): void {
  const entry = new AuditEntry({
    organization: org ? ref(org) : null,
    actor: ref(actor),
    action,
    targetType: target.type,
    targetId: target.id,
    data: { ...data, seeded: true },
  });
  entry.createdAt = at;
  tx.persist(entry);
}

function demoApp(
  tx: EntityManager,
  org: Organization,
  owner: User,
  name: string,
  createdAt: Date,
): App {
  const app = new App(ref(org), null, ref(owner), name);
  app.createdAt = createdAt;
  app.updatedAt = createdAt;
  app.permissionLevel = PermissionLevel.READ;
  app.useCase = 'Demo data of the staff console.';
  tx.persist(app);
  audit(tx, org, owner, 'app.create', { type: 'App', id: app.id }, { name }, createdAt);
  return app;
}

/** A credential whose secret nobody knows (only its hash is stored, as always). */
function demoCredential(
  tx: EntityManager,
  app: App,
  org: Organization,
  owner: User,
  lastUsedAt: Date,
): void {
  const secret = generateToken('pcs');
  const credential = new Credential({
    app: ref(app),
    organization: ref(org),
    kind: CredentialKind.CONSUMER_KEY,
    publicId: generateToken('pck'),
    secretHash: sha256(secret),
    lastFour: secret.slice(-4),
    createdBy: ref(owner),
  });
  credential.createdAt = app.createdAt;
  credential.lastUsedAt = lastUsedAt;
  tx.persist(credential);
}

export function seedStaffConsole(
  tx: EntityManager,
  users: { staff: User; grace: User; ada: User },
  publicPosts: ApiProduct,
): void {
  const org = new Organization('Northwind Research', 'northwind-research', OrganizationKind.TEAM);
  org.createdAt = ago(150 * DAY);
  org.verifiedAt = ago(100 * DAY);
  tx.persist(org);
  tx.persist(new Membership(ref(org), ref(users.grace), MemberRole.ADMIN));
  tx.persist(new Membership(ref(org), ref(users.ada), MemberRole.DEVELOPER));
  audit(
    tx,
    org,
    users.staff,
    'organization.verify',
    { type: 'Organization', id: org.id },
    { reason: 'Checked the company register.' },
    ago(100 * DAY),
  );

  // Inactive: no verified request for two months.
  const importer = demoApp(tx, org, users.grace, 'Legacy Importer', ago(140 * DAY));
  demoCredential(tx, importer, org, users.grace, ago(62 * DAY));
  // Active and in use.
  const dashboard = demoApp(tx, org, users.ada, 'Ops Dashboard', ago(90 * DAY));
  demoCredential(tx, dashboard, org, users.ada, ago(2 * 3_600_000));

  // Requests staff decided after a while: the pending queue report's time to decision.
  for (const [app, requestedDaysAgo, decidedDaysAgo] of [
    [importer, 20, 18],
    [dashboard, 6, 5.5],
  ] as const) {
    const grant = new ProductGrant(
      ref(org),
      ref(app),
      ref(publicPosts),
      ref(app.owner.id === users.ada.id ? users.ada : users.grace),
    );
    grant.createdAt = ago(requestedDaysAgo * DAY);
    grant.status = GrantStatus.APPROVED;
    grant.decidedAt = ago(decidedDaysAgo * DAY);
    grant.decidedBy = ref(users.staff);
    grant.reason = 'Fits the public posts terms.';
    tx.persist(grant);
  }

  // A crawler suspended by a finished bulk run.
  const crawler = demoApp(tx, org, users.ada, 'Weekend Crawler', ago(30 * DAY));
  crawler.status = AppStatus.SUSPENDED;
  crawler.statusReason = 'Crawling beyond the rate limits agreed.';
  crawler.statusSetBy = ref(users.staff);
  const reason = 'Crawling beyond the rate limits agreed.';
  const run = new BulkRun({
    action: BulkAction.SUSPEND,
    criteria: { organizationId: org.id, search: 'crawler' },
    reason,
    graceDays: null,
    fingerprint: sha256(`seed ${crawler.id}`),
    changeCount: 1,
    skipCount: 0,
    plannedBy: ref(users.staff),
  });
  run.createdAt = ago(3 * DAY);
  run.status = BulkRunStatus.FINISHED;
  run.appliedCount = 1;
  run.startedBy = ref(users.staff);
  run.startedAt = ago(3 * DAY);
  run.finishedAt = ago(3 * DAY);
  tx.persist(run);
  const item = new BulkRunItem({
    run: ref(run),
    position: 0,
    app: ref(crawler),
    organizationId: org.id,
    plan: BulkItemPlan.CHANGE,
    skipReason: null,
    version: `ACTIVE|${crawler.createdAt.toISOString()}|`,
    detail: { from: 'ACTIVE', to: 'SUSPENDED' },
  });
  item.state = BulkItemState.APPLIED;
  item.doneAt = ago(3 * DAY);
  tx.persist(item);
  const at = ago(3 * DAY);
  audit(
    tx,
    null,
    users.staff,
    'bulk_run.plan',
    { type: 'BulkRun', id: run.id },
    { bulkAction: 'SUSPEND', reason, changeCount: 1, skipCount: 0 },
    at,
  );
  audit(
    tx,
    null,
    users.staff,
    'bulk_run.start',
    { type: 'BulkRun', id: run.id },
    { bulkAction: 'SUSPEND', reason },
    at,
  );
  audit(
    tx,
    org,
    users.staff,
    'app.suspend',
    { type: 'App', id: crawler.id },
    { name: crawler.name, from: 'ACTIVE', reason, bulkRunId: run.id },
    at,
  );
  audit(
    tx,
    null,
    users.staff,
    'bulk_run.finish',
    { type: 'BulkRun', id: run.id },
    { bulkAction: 'SUSPEND', reason, applied: 1, skipped: 0, failed: 0 },
    at,
  );
}
