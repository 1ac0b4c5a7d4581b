import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { generateToken, sha256 } from '../crypto.js';
import { PlatformRole, User } from '../modules/accounts/accounts.entity.js';
import { hashPassword } from '../modules/accounts/accounts.service.js';
import { App, PermissionLevel } from '../modules/apps/apps.entity.js';
import { AuditEntry } from '../modules/audit/audit.entity.js';
import {
  Invitation,
  MemberRole,
  Membership,
  Organization,
  OrganizationKind,
} from '../modules/orgs/orgs.entity.js';
import { Project } from '../modules/projects/projects.entity.js';

export const DEMO_PASSWORD = 'portico-demo-1';

export interface SeedResult {
  password: string;
  accounts: { email: string; label: string }[];
}

const ACCOUNTS = [
  {
    key: 'staff',
    email: 'staff@portico.local',
    name: 'Sam Staff',
    role: PlatformRole.STAFF,
    label: 'portal staff',
  },
  {
    key: 'ada',
    email: 'ada@portico.local',
    name: 'Ada Lovelace',
    role: PlatformRole.DEVELOPER,
    label: 'admin of Analytical Engines',
  },
  {
    key: 'grace',
    email: 'grace@portico.local',
    name: 'Grace Hopper',
    role: PlatformRole.DEVELOPER,
    label: 'developer in Analytical Engines, admin of Grace Labs',
  },
] as const;

type AccountKey = (typeof ACCOUNTS)[number]['key'];

/** Seeds demo data into an empty database; does nothing when any user exists. */
export async function seedDemoData(orm: MikroORM): Promise<SeedResult> {
  const result: SeedResult = {
    password: DEMO_PASSWORD,
    accounts: ACCOUNTS.map(({ email, label }) => ({ email, label })),
  };
  const em = orm.em.fork();
  if (await em.count(User, {})) return result;
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  await em.transactional(async (tx) => {
    const users = {} as Record<AccountKey, User>;
    for (const account of ACCOUNTS) {
      const user = new User(account.email, account.name, passwordHash);
      user.platformRole = account.role;
      user.emailVerifiedAt = new Date();
      users[account.key] = user;
      tx.persist(user);
    }
    seedAnalyticalEngines(tx, users);
    seedGraceLabs(tx, users);
  });
  return result;
}

function member(tx: EntityManager, org: Organization, user: User, role: MemberRole): void {
  tx.persist(
    new Membership(
      tx.getReference(Organization, org.id, { wrapped: true }),
      tx.getReference(User, user.id, { wrapped: true }),
      role,
    ),
  );
}

function app(
  tx: EntityManager,
  org: Organization,
  project: Project | null,
  owner: User,
  fields: Partial<App> & { name: string },
): App {
  const created = new App(
    tx.getReference(Organization, org.id, { wrapped: true }),
    project ? tx.getReference(Project, project.id, { wrapped: true }) : null,
    tx.getReference(User, owner.id, { wrapped: true }),
    fields.name,
  );
  Object.assign(created, fields);
  tx.persist(created);
  tx.persist(
    new AuditEntry({
      organization: tx.getReference(Organization, org.id, { wrapped: true }),
      actor: tx.getReference(User, owner.id, { wrapped: true }),
      action: 'app.create',
      targetType: 'App',
      targetId: created.id,
      data: { name: created.name, seeded: true },
    }),
  );
  return created;
}

function seedAnalyticalEngines(tx: EntityManager, users: Record<AccountKey, User>): void {
  const org = new Organization('Analytical Engines', 'analytical-engines', OrganizationKind.TEAM);
  tx.persist(org);
  member(tx, org, users.ada, MemberRole.ADMIN);
  member(tx, org, users.grace, MemberRole.DEVELOPER);

  const insights = new Project(
    tx.getReference(Organization, org.id, { wrapped: true }),
    'Market insights',
  );
  insights.description = 'Dashboards that follow conversations about our products.';
  insights.useCase = 'Read public posts and trends to build analytics for marketing teams.';
  const support = new Project(
    tx.getReference(Organization, org.id, { wrapped: true }),
    'Customer support',
  );
  support.description = 'Answer customers where they reach out to us.';
  support.useCase = 'Read and reply to mentions and direct messages from customers.';
  tx.persist([insights, support]);

  app(tx, org, insights, users.ada, {
    name: 'Trend Radar',
    description: 'Collects trending topics every minute.',
    websiteUrl: 'https://trends.analytical-engines.example',
    useCase: 'Aggregate public trends for internal dashboards.',
    permissionLevel: PermissionLevel.READ,
  });
  app(tx, org, insights, users.grace, {
    name: 'Sentiment Notebook',
    description: 'Scores the sentiment of mentions.',
    useCase: 'Research notebook for the data team.',
    permissionLevel: PermissionLevel.READ,
    attributes: [{ key: 'team', value: 'data-science' }],
  });
  app(tx, org, support, users.ada, {
    name: 'Helpdesk Bridge',
    description: 'Turns mentions and direct messages into support tickets.',
    websiteUrl: 'https://help.analytical-engines.example',
    callbackUrls: [
      'https://help.analytical-engines.example/oauth/callback',
      'http://localhost:3000/callback',
    ],
    termsOfServiceUrl: 'https://analytical-engines.example/terms',
    privacyPolicyUrl: 'https://analytical-engines.example/privacy',
    useCase: 'Reply to customers on behalf of support agents.',
    permissionLevel: PermissionLevel.READ_WRITE_DM,
    threeLeggedOAuth: true,
    requestEmail: true,
    attributes: [
      { key: 'cost-center', value: 'CS-204' },
      { key: 'on-call', value: 'support-oncall@analytical-engines.example' },
    ],
  });
  app(tx, org, null, users.grace, {
    name: 'Release Bot',
    description: 'Posts release notes when we ship.',
    useCase: 'Publish a post for each product release.',
    permissionLevel: PermissionLevel.READ_WRITE,
  });

  tx.persist(
    new Invitation(
      tx.getReference(Organization, org.id, { wrapped: true }),
      'charles@portico.local',
      MemberRole.DEVELOPER,
      tx.getReference(User, users.ada.id, { wrapped: true }),
      sha256(generateToken('pti')),
      new Date(Date.now() + 7 * 86_400_000),
    ),
  );
}

function seedGraceLabs(tx: EntityManager, users: Record<AccountKey, User>): void {
  const org = new Organization('Grace Labs', 'grace-labs', OrganizationKind.PERSONAL);
  tx.persist(org);
  member(tx, org, users.grace, MemberRole.ADMIN);
  app(tx, org, null, users.grace, {
    name: 'Compiler Experiments',
    description: 'A sandbox for trying the API.',
    useCase: 'Personal experiments.',
  });
}
