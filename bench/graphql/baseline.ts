// The baseline of the GraphQL benchmark, in a process of its own: a bare `graphql-http` handler
// on `node:http` with a schema written by hand in `graphql-js` and resolvers running plain SQL
// through `pg`. It answers the two measured operations as Portico does:
//   - `{ viewer { id name email } }`: the session cookie looked up with the SQL Portico runs
//     when the session is not in its memory (session joined to its user, by token hash);
//   - the dashboard: viewer → organizations → projects → apps (owner, project, credentials,
//     grants with this month's usage of their product, the app's usage this month),
//     standalone apps (the same fields), members → user, in the statements Portico runs (see
//     dashboardOf below; the usage summary's text built by Portico's own usageRowsSql),
//     batched per level as DataLoader batches them: one statement per field for every app.
// The session is read from the database on every request (this server caches nothing).
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GraphQLOutputType } from 'graphql';
import type { QueryResultRow } from 'pg';
import { createHandler, graphqlJs, pg } from './deps.js';
import {
  monthLabel,
  monthStartOf,
  nextMonthOf,
} from '../../packages/server/src/modules/usage/usage.periods.js';
import { summary, type SummaryRow } from '../../packages/server/src/modules/usage/usage.loaders.js';
import { pgParams, usageRowsSql } from '../../packages/server/src/modules/usage/usage.read.js';
import { UsageGranularity } from '../../packages/server/src/modules/usage/usage.types.js';
import type { ServerReply, ServerRequest } from './protocol.js';

const {
  GraphQLBoolean,
  GraphQLFloat,
  GraphQLID,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLSchema,
  GraphQLString,
} = graphqlJs;

if (!process.send) throw new Error('fork this file');
const send = (message: ServerReply): void => {
  process.send?.(message);
};
const databaseUrl = process.argv[2];
if (!databaseUrl) throw new Error('usage: forked with the database URL');

// Portico's pool (MikroORM's default for PostgreSQL): at most 10 connections.
const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 });
let queries = 0;
/** The statements sent while the benchmark records them. */
let recorded: string[] | null = null;
async function sql<R extends QueryResultRow>(text: string, values: unknown[]): Promise<R[]> {
  queries += 1;
  recorded?.push(text);
  return (await pool.query<R>(text, values)).rows;
}

interface UserRow {
  id: string;
  name: string;
  email: string;
}
interface Viewer extends UserRow {
  sessionId: string;
}
interface AppRow {
  id: string;
  name: string;
  status: string;
  organization_id: string;
  project_id: string | null;
  owner_id: string;
  owner_name: string;
}
interface CredentialRow {
  id: string;
  app_id: string;
  kind: string;
  last_four: string;
}
interface GrantRow {
  id: string;
  app_id: string;
  product_id: string;
  status: string;
}
interface UsageSummary {
  month: string;
  requests: number;
  units: number;
  errors: number;
  errorRate: number;
  responseTimeAvg: number | null;
}
interface OrganizationNode {
  id: string;
  name: string;
  projects: ProjectNode[];
  standaloneApps: AppNode[];
  members: { id: string; role: string; user: UserRow }[];
}
interface ProjectNode {
  id: string;
  name: string;
  apps: AppNode[];
}
interface AppNode {
  id: string;
  name: string;
  status: string;
  viewerCanManage: boolean;
  owner: { id: string; name: string };
  project: { id: string; name: string } | null;
  credentials: { id: string; kind: string; lastFour: string }[];
  grants: { id: string; status: string; usageThisMonth: UsageSummary }[];
  usageThisMonth: UsageSummary;
}

/** The session cookie (`portico_session`), as Portico reads it. */
const SESSION_COOKIE = /(?:^|;\s*)portico_session=([^;]+)/;

/** The session lookup Portico runs on a miss: the session and its user, by token hash. */
async function viewerOf(cookieHeader: string | undefined): Promise<Viewer | null> {
  const token = SESSION_COOKIE.exec(cookieHeader ?? '')?.[1];
  if (!token || !token.startsWith('pts_')) return null;
  const hash = createHash('sha256').update(decodeURIComponent(token)).digest('hex');
  const [row] = await sql<Viewer>(
    `select s.id as "sessionId", u.id, u.name, u.email
       from session s join users u on u.id = s.user_id
      where s.token_hash = $1 and s.expires_at > $2
      limit 1`,
    [hash, new Date()],
  );
  return row ?? null;
}

/** Rows grouped by a key, in their order. */
function groupBy<T>(rows: T[], key: (row: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const group = groups.get(key(row));
    if (group) group.push(row);
    else groups.set(key(row), [row]);
  }
  return groups;
}

/**
 * This month's usage of each app, per product: Portico's statement (usage.loaders.ts,
 * `monthByApp`), its usage rows read by the same function with `$n` placeholders.
 */
async function usageOf(appIds: string[]): Promise<SummaryRow[]> {
  const month = monthStartOf(new Date());
  const { params, p } = pgParams();
  const rows = usageRowsSql(UsageGranularity.DAY, month, nextMonthOf(month), { appIds }, p);
  return sql<SummaryRow>(
    `select u.app_id, u.product_id, sum(u.requests)::float8 as requests,
       sum(u.responses)::float8 as responses, sum(u.units)::float8 as units,
       sum(u.errors)::float8 as errors, sum(u.response_time_sum)::float8 as response_time_sum
     from (${rows}) u group by u.app_id, u.product_id`,
    params,
  );
}

/**
 * The dashboard's statements, as Portico runs them (one per level and field, whatever the
 * size): the viewer's organizations; then their projects, their members with their users and
 * all their apps with owners; then every app's credentials, grants and usage this month. Each
 * reads the same tables with the same joins, conditions and order as Portico's, selecting only
 * the columns the answer needs (Portico's select whole rows); the usage statement is Portico's.
 */
async function dashboardOf(viewer: Viewer): Promise<OrganizationNode[]> {
  const orgs = await sql<{ id: string; name: string; role: string }>(
    `select o.id, o.name, m.role from membership m join organization o on o.id = m.organization_id
      where m.user_id = $1 order by m.created_at, m.id`,
    [viewer.id],
  );
  const orgIds = orgs.map((o) => o.id);
  const [projects, members, apps] = await Promise.all([
    sql<{ id: string; organization_id: string; name: string }>(
      `select id, organization_id, name from project
        where organization_id = any($1) order by created_at, id`,
      [orgIds],
    ),
    sql<{
      id: string;
      organization_id: string;
      role: string;
      user_id: string;
      user_name: string;
      user_email: string;
    }>(
      `select m.id, m.organization_id, m.role, u.id as user_id, u.name as user_name,
              u.email as user_email
         from membership m join users u on u.id = m.user_id
        where m.organization_id = any($1) order by m.created_at, m.id`,
      [orgIds],
    ),
    sql<AppRow>(
      `select a.id, a.name, a.status, a.organization_id, a.project_id, a.owner_id,
              u.name as owner_name
         from app a join users u on u.id = a.owner_id
        where a.organization_id = any($1) and a.deleted_at is null
        order by a.created_at, a.id`,
      [orgIds],
    ),
  ]);
  const appIds = apps.map((a) => a.id);
  const [grants, credentials, usage] = await Promise.all([
    sql<GrantRow>(
      `select id, app_id, product_id, status from product_grant
        where app_id = any($1) order by created_at desc, id desc`,
      [appIds],
    ),
    sql<CredentialRow>(
      `select id, app_id, kind, last_four from credential
        where app_id = any($1) order by created_at desc, id desc`,
      [appIds],
    ),
    usageOf(appIds),
  ]);
  const month = monthLabel(monthStartOf(new Date()));
  const roleIn = new Map(orgs.map((o) => [o.id, o.role]));
  const projectsById = new Map(projects.map((p) => [p.id, p]));
  const grantsOf = groupBy(grants, (g) => g.app_id);
  const credentialsOf = groupBy(credentials, (c) => c.app_id);
  const usageOfApp = groupBy(usage, (u) => u.app_id);
  const appNode = (app: AppRow): AppNode => {
    const project = app.project_id ? projectsById.get(app.project_id) : undefined;
    const appUsage = usageOfApp.get(app.id) ?? [];
    return {
      id: app.id,
      name: app.name,
      status: app.status,
      viewerCanManage: app.owner_id === viewer.id || roleIn.get(app.organization_id) === 'ADMIN',
      owner: { id: app.owner_id, name: app.owner_name },
      project: project ? { id: project.id, name: project.name } : null,
      credentials: (credentialsOf.get(app.id) ?? []).map((c) => ({
        id: c.id,
        kind: c.kind,
        lastFour: c.last_four,
      })),
      grants: (grantsOf.get(app.id) ?? []).map((g) => ({
        id: g.id,
        status: g.status,
        usageThisMonth: summary(
          month,
          appUsage.filter((u) => u.product_id === g.product_id),
        ),
      })),
      usageThisMonth: summary(month, appUsage),
    };
  };
  return orgs.map((org) => ({
    id: org.id,
    name: org.name,
    projects: projects
      .filter((p) => p.organization_id === org.id)
      .map((p) => ({
        id: p.id,
        name: p.name,
        apps: apps.filter((a) => a.project_id === p.id).map(appNode),
      })),
    standaloneApps: apps
      .filter((a) => a.organization_id === org.id && a.project_id === null)
      .map(appNode),
    members: members
      .filter((m) => m.organization_id === org.id)
      .map((m) => ({
        id: m.id,
        role: m.role,
        user: { id: m.user_id, name: m.user_name, email: m.user_email },
      })),
  }));
}

const id = { type: new GraphQLNonNull(GraphQLID) };
const string = { type: new GraphQLNonNull(GraphQLString) };
const Person = new GraphQLObjectType({ name: 'User', fields: { id, name: string } });
const ProjectRef = new GraphQLObjectType({ name: 'ProjectRef', fields: { id, name: string } });
const float = { type: new GraphQLNonNull(GraphQLFloat) };
const UsageSummaryType = new GraphQLObjectType({
  name: 'UsageSummary',
  fields: {
    month: string,
    requests: float,
    units: float,
    errors: float,
    errorRate: float,
    responseTimeAvg: { type: GraphQLFloat },
  },
});
const usageThisMonth = { type: new GraphQLNonNull(UsageSummaryType) };
const list = <T extends GraphQLOutputType>(type: T) => ({
  type: new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(type))),
});
const CredentialType = new GraphQLObjectType({
  name: 'Credential',
  fields: { id, kind: string, lastFour: string },
});
const Grant = new GraphQLObjectType({
  name: 'ProductGrant',
  fields: { id, status: string, usageThisMonth },
});
const App = new GraphQLObjectType({
  name: 'App',
  fields: {
    id,
    name: string,
    status: string,
    viewerCanManage: { type: new GraphQLNonNull(GraphQLBoolean) },
    owner: { type: new GraphQLNonNull(Person) },
    project: { type: ProjectRef },
    credentials: list(CredentialType),
    grants: list(Grant),
    usageThisMonth,
  },
});
const Project = new GraphQLObjectType({
  name: 'Project',
  fields: { id, name: string, apps: list(App) },
});
const Member = new GraphQLObjectType({
  name: 'Membership',
  fields: { id, role: string, user: { type: new GraphQLNonNull(Person) } },
});
const Organization = new GraphQLObjectType({
  name: 'Organization',
  fields: {
    id,
    name: string,
    projects: list(Project),
    standaloneApps: list(App),
    members: list(Member),
  },
});
const ViewerType = new GraphQLObjectType<Viewer>({
  name: 'Viewer',
  fields: {
    id,
    name: string,
    email: string,
    organizations: {
      ...list(Organization),
      resolve: (viewer) => dashboardOf(viewer),
    },
  },
});
const schema = new GraphQLSchema({
  query: new GraphQLObjectType<unknown, BaselineContext>({
    name: 'Query',
    fields: { viewer: { type: ViewerType, resolve: (_root, _args, context) => context.viewer } },
  }),
});

type BaselineContext = Record<PropertyKey, unknown> & { viewer: Viewer | null };

const handler = createHandler<BaselineContext>({
  schema,
  context: async (req) => ({ viewer: await viewerOf(req.raw.headers.cookie) }),
});

const server = createServer((req, res) => {
  handler(req, res).catch(() => {
    if (!res.headersSent) res.writeHead(500);
    res.end();
  });
});
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  send({ type: 'ready', url: `http://127.0.0.1:${port}` });
});

process.on('message', (message: ServerRequest) => {
  if (message.type === 'stats') {
    const { user, system } = process.cpuUsage();
    send({ type: 'stats', queries, cpuMs: (user + system) / 1000 });
  } else if (message.type === 'record') {
    send({ type: 'recorded', statements: recorded ?? [] });
    recorded = message.on ? [] : null;
  } else if (message.type === 'reload') {
    send({ type: 'reloaded' });
  } else if (message.type === 'stop') {
    server.closeAllConnections();
    server.close(() => {
      void pool.end().finally(() => {
        send({ type: 'stopped' });
        process.exit(0);
      });
    });
  }
});
process.on('disconnect', () => process.exit(0));
