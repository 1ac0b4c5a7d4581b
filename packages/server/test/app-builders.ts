import { AuditEntry } from '../src/audit/audit.entity.js';
import { App } from '../src/modules/apps/apps.entity.js';
import { User } from '../src/modules/accounts/accounts.entity.js';
import {
  MemberRole,
  Membership,
  Organization,
  OrganizationKind,
} from '../src/modules/orgs/orgs.entity.js';
import { signUpUser, type SignedInUser } from './builders.js';
import type { TestClient, TestServer } from './harness.js';

let orgCounter = 0;

export interface OrgWithMembers {
  id: string;
  name: string;
  admins: SignedInUser[];
  developers: SignedInUser[];
}

/**
 * An organization with freshly signed-up admins and developers, written straight through the
 * ORM (so these tests do not depend on the orgs module's mutations).
 */
export async function orgWithMembers(
  server: TestServer,
  options: { admins?: number; developers?: number; name?: string } = {},
): Promise<OrgWithMembers> {
  const admins = await Promise.all(
    Array.from({ length: options.admins ?? 1 }, (_, i) =>
      signUpUser(server, { name: `Admin ${i + 1}` }),
    ),
  );
  const developers = await Promise.all(
    Array.from({ length: options.developers ?? 0 }, (_, i) =>
      signUpUser(server, { name: `Developer ${i + 1}` }),
    ),
  );
  const em = server.orm.em.fork();
  const label = `${process.pid}-${Date.now().toString(36)}-${++orgCounter}`;
  const org = new Organization(
    options.name ?? `Org ${label}`,
    `org-${label}`,
    OrganizationKind.TEAM,
  );
  em.persist(org);
  const orgRef = em.getReference(Organization, org.id, { wrapped: true });
  for (const [users, role] of [
    [admins, MemberRole.ADMIN],
    [developers, MemberRole.DEVELOPER],
  ] as const) {
    for (const user of users) {
      em.persist(new Membership(orgRef, em.getReference(User, user.id, { wrapped: true }), role));
    }
  }
  await em.flush();
  return { id: org.id, name: org.name, admins, developers };
}

/** Adds an existing user to an organization with the given role, through the ORM. */
export async function addMember(
  server: TestServer,
  organizationId: string,
  user: SignedInUser,
  role: MemberRole,
): Promise<void> {
  const em = server.orm.em.fork();
  em.persist(
    new Membership(
      em.getReference(Organization, organizationId, { wrapped: true }),
      em.getReference(User, user.id, { wrapped: true }),
      role,
    ),
  );
  await em.flush();
}

export interface ProjectFields {
  id: string;
  name: string;
  description: string;
  useCase: string;
}

export const PROJECT_FIELDS = 'id name description useCase createdAt updatedAt';

let projectCounter = 0;

/** Creates a project through the API as `client` (an admin of the organization). */
export async function createProject(
  client: TestClient,
  organizationId: string,
  overrides: Partial<{ name: string; description: string | null; useCase: string | null }> = {},
): Promise<ProjectFields> {
  const data = await client.ok<{ createProject: { project: ProjectFields } }>(
    `mutation ($input: CreateProjectInput!) {
      createProject(input: $input) { project { ${PROJECT_FIELDS} } }
    }`,
    {
      input: {
        organizationId,
        name: `Project ${++projectCounter}`,
        description: 'A project for tests',
        useCase: 'Testing',
        ...overrides,
      },
    },
  );
  return data.createProject.project;
}

export interface AppFields {
  id: string;
  name: string;
  description: string;
  websiteUrl: string | null;
  callbackUrls: string[];
  termsOfServiceUrl: string | null;
  privacyPolicyUrl: string | null;
  organizationName: string | null;
  organizationUrl: string | null;
  useCase: string;
  iconUrl: string | null;
  permissionLevel: string;
  threeLeggedOAuth: boolean;
  requestEmail: boolean;
  attributes: { key: string; value: string }[];
  status: string;
  statusReason: string | null;
  viewerCanManage: boolean;
  owner: { id: string };
  project: { id: string } | null;
  organization: { id: string };
}

export const APP_FIELDS = `id name description websiteUrl callbackUrls termsOfServiceUrl
  privacyPolicyUrl organizationName organizationUrl useCase iconUrl permissionLevel
  threeLeggedOAuth requestEmail attributes { key value } status statusReason createdAt updatedAt
  viewerCanManage owner { id } project { id } organization { id }`;

let appCounter = 0;

export type AppInput = Record<string, unknown>;

/** Creates an app through the API as `client` (any member of the organization). */
export async function createApp(
  client: TestClient,
  organizationId: string,
  overrides: AppInput = {},
): Promise<AppFields> {
  const data = await client.ok<{ createApp: { app: AppFields } }>(
    `mutation ($input: CreateAppInput!) { createApp(input: $input) { app { ${APP_FIELDS} } } }`,
    { input: { organizationId, name: `App ${process.pid}-${++appCounter}`, ...overrides } },
  );
  return data.createApp.app;
}

/** Audit entries about one target, oldest first, read straight from the database. */
export async function auditEntriesFor(server: TestServer, targetId: string): Promise<AuditEntry[]> {
  return server.orm.em
    .fork()
    .find(AuditEntry, { targetId }, { orderBy: { createdAt: 'asc', id: 'asc' } });
}

/** An app row as stored, tombstones included. */
export async function storedApp(server: TestServer, id: string): Promise<App | null> {
  return server.orm.em.fork().findOne(App, { id });
}

/** Live and deleted apps of an organization as stored. */
export async function storedApps(server: TestServer, organizationId: string): Promise<App[]> {
  return server.orm.em.fork().find(App, { organization: organizationId });
}
