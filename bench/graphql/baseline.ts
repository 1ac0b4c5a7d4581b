// The baseline of the GraphQL benchmark, in a process of its own: a bare `graphql-http` handler
// on `node:http` with a schema written by hand in `graphql-js` and resolvers running plain SQL
// through `pg`. It answers the two measured operations as Portico does:
//   - `{ viewer { id name email } }`: the session cookie looked up with the SQL Portico runs
//     when the session is not in its memory (session joined to its user, by token hash);
//   - the dashboard: viewer → organizations → projects → apps (owner, project), standalone
//     apps, members → user, in the statements Portico runs (see DASHBOARD_SQL below),
//     batched per level as a careful hand-written server would.
// The session is read from the database on every request (this server caches nothing).
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GraphQLOutputType } from 'graphql';
import type { QueryResultRow } from 'pg';
import { createHandler, graphqlJs, pg } from './deps.js';
import type { ServerReply, ServerRequest } from './protocol.js';

const {
  GraphQLBoolean,
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
async function sql<R extends QueryResultRow>(text: string, values: unknown[]): Promise<R[]> {
  queries += 1;
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

/** The dashboard's statements, as Portico runs them (one per level, whatever the size). */
async function dashboardOf(viewer: Viewer): Promise<OrganizationNode[]> {
  const orgs = await sql<{ id: string; name: string; role: string }>(
    `select o.id, o.name, m.role from membership m join organization o on o.id = m.organization_id
      where m.user_id = $1 order by m.created_at, m.id`,
    [viewer.id],
  );
  const orgIds = orgs.map((o) => o.id);
  const [members, projects, standalone] = await Promise.all([
    sql<{ id: string; organization_id: string; user_id: string; role: string }>(
      `select id, organization_id, user_id, role from membership
        where organization_id = any($1) order by created_at, id`,
      [orgIds],
    ),
    sql<{ id: string; organization_id: string; name: string }>(
      `select id, organization_id, name from project
        where organization_id = any($1) order by created_at, id`,
      [orgIds],
    ),
    sql<AppRow>(
      `select a.id, a.name, a.status, a.organization_id, a.project_id, a.owner_id,
              u.name as owner_name
         from app a join users u on u.id = a.owner_id
        where a.organization_id = any($1) and a.project_id is null and a.deleted_at is null
        order by a.created_at, a.id`,
      [orgIds],
    ),
  ]);
  const [users, projectApps] = await Promise.all([
    sql<UserRow>('select id, name, email from users where id = any($1)', [
      [...new Set(members.map((m) => m.user_id))],
    ]),
    sql<AppRow>(
      `select a.id, a.name, a.status, a.organization_id, a.project_id, a.owner_id,
              u.name as owner_name
         from app a join users u on u.id = a.owner_id
        where a.project_id = any($1) and a.deleted_at is null
        order by a.created_at, a.id`,
      [projects.map((p) => p.id)],
    ),
  ]);
  const roleIn = new Map(orgs.map((o) => [o.id, o.role]));
  const usersById = new Map(users.map((u) => [u.id, u]));
  const projectsById = new Map(projects.map((p) => [p.id, p]));
  const appNode = (app: AppRow): AppNode => {
    const project = app.project_id ? projectsById.get(app.project_id) : undefined;
    return {
      id: app.id,
      name: app.name,
      status: app.status,
      viewerCanManage: app.owner_id === viewer.id || roleIn.get(app.organization_id) === 'ADMIN',
      owner: { id: app.owner_id, name: app.owner_name },
      project: project ? { id: project.id, name: project.name } : null,
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
        apps: projectApps.filter((a) => a.project_id === p.id).map(appNode),
      })),
    standaloneApps: standalone.filter((a) => a.organization_id === org.id).map(appNode),
    members: members
      .filter((m) => m.organization_id === org.id)
      .map((m) => ({
        id: m.id,
        role: m.role,
        user: usersById.get(m.user_id) ?? { id: m.user_id, name: '', email: '' },
      })),
  }));
}

const id = { type: new GraphQLNonNull(GraphQLID) };
const string = { type: new GraphQLNonNull(GraphQLString) };
const Person = new GraphQLObjectType({ name: 'User', fields: { id, name: string } });
const ProjectRef = new GraphQLObjectType({ name: 'ProjectRef', fields: { id, name: string } });
const App = new GraphQLObjectType({
  name: 'App',
  fields: {
    id,
    name: string,
    status: string,
    viewerCanManage: { type: new GraphQLNonNull(GraphQLBoolean) },
    owner: { type: new GraphQLNonNull(Person) },
    project: { type: ProjectRef },
  },
});
const list = <T extends GraphQLOutputType>(type: T) => ({
  type: new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(type))),
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
