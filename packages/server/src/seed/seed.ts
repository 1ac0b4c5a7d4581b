import { ref } from '@mikro-orm/core';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { generateToken, sha256 } from '../crypto.js';
import { PlatformRole } from '../auth/roles.js';
import { User } from '../modules/accounts/accounts.entity.js';
import { hashPassword } from '../modules/accounts/accounts.service.js';
import {
  ApplicationMessage,
  ApplicationStatus,
  DeveloperApplication,
} from '../modules/applications/applications.entity.js';
import {
  questionNotice,
  submittedNotice as applicationSubmittedNotice,
} from '../modules/applications/applications.notices.js';
import { App, PermissionLevel } from '../modules/apps/apps.entity.js';
import { beginLife } from '../modules/app-lifecycle/app-lifecycle.service.js';
import { AuditEntry } from '../audit/audit.entity.js';
import {
  Credential,
  CREDENTIAL_PREFIXES,
  CredentialKind,
} from '../modules/credentials/credentials.entity.js';
import { GrantStatus, ProductGrant, ReasonTemplate } from '../modules/grants/grants.entity.js';
import { submittedNotice as grantSubmittedNotice } from '../modules/grants/grants.mail.js';
import { Notification } from '../modules/notifications/notifications.entity.js';
import type { NotifyInput } from '../modules/notifications/notifications.service.js';
import {
  Invitation,
  MemberRole,
  Membership,
  Organization,
  OrganizationKind,
} from '../modules/orgs/orgs.entity.js';
import { evaluateApprovalRules } from '../modules/products/approval-rules.js';
import { ensureDefaultPlans } from '../modules/products/plans.service.js';
import {
  ApiProduct,
  ApprovalMode,
  DevEnvironment,
  Plan,
  PlanSubscription,
} from '../modules/products/products.entity.js';
import { Project } from '../modules/projects/projects.entity.js';
import { seedUsage } from './usage.js';
import { seedStaffConsole } from './staff.js';
import { seedOAuthDemo } from './oauth.js';
import { seedCatalogue } from './catalogue.js';

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
  {
    key: 'charles',
    email: 'charles@portico.local',
    name: 'Charles Babbage',
    role: PlatformRole.DEVELOPER,
    label: 'applicant waiting for approval',
  },
] as const;

type AccountKey = (typeof ACCOUNTS)[number]['key'];

/** Seeds demo data into an empty database; does nothing when any user exists. */
export interface SeedOptions {
  /**
   * Where the demo APIs answer (their OpenAPI `servers` and the docs' curl commands): the
   * portal's own origin, which mocks them (MOCK_UPSTREAM).
   */
  apiOrigin?: string;
}

/** The portal's address when started with the defaults (`pnpm start`). */
export const DEFAULT_API_ORIGIN = 'http://localhost:4000';

export async function seedDemoData(orm: MikroORM, options: SeedOptions = {}): Promise<SeedResult> {
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
      user.activatedAt = new Date();
      users[account.key] = user;
      tx.persist(user);
    }
    seedDeveloperApplications(tx, users);
    const plans = await ensureDefaultPlans(tx);
    const products = seedProducts(tx, plans);
    seedReasonTemplates(tx);
    const engines = seedAnalyticalEngines(tx, users);
    seedGraceLabs(tx, users);
    seedProductAccess(tx, users, engines, products, plans);
    seedCredentials(tx, users, engines);
    seedStaffConsole(tx, users, products.publicPosts);
    seedOAuthDemo(tx, users.ada, engines.org);
    await seedCatalogue(tx, {
      apiOrigin: (options.apiOrigin ?? DEFAULT_API_ORIGIN).replace(/\/+$/, ''),
      staff: users.staff,
      developers: [users.ada, users.grace],
      products,
    });
  });
  await seedUsage(orm);
  return result;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function ago(ms: number): Date {
  return new Date(Date.now() - ms);
}

function notification(
  tx: EntityManager,
  user: User,
  notice: Omit<NotifyInput, 'userId'>,
  at: Date,
): void {
  const created = new Notification(ref(user), notice.kind, notice.title, notice.body);
  created.link = notice.link ?? null;
  created.createdAt = at;
  tx.persist(created);
}

/** Ada and Grace were approved long ago; Charles applied yesterday and staff asked him a question. */
function seedDeveloperApplications(tx: EntityManager, users: Record<AccountKey, User>): void {
  const approved = [
    [users.ada, 'Analytics dashboards for marketing teams, built on public posts and trends.'],
    [users.grace, 'Developer tooling: release announcements and research notebooks.'],
  ] as const;
  for (const [user, useCase] of approved) {
    const application = new DeveloperApplication(ref(user), useCase);
    application.companyName = 'Analytical Engines';
    application.status = ApplicationStatus.APPROVED;
    application.decidedBy = ref(users.staff);
    application.decidedAt = ago(90 * DAY);
    application.createdAt = ago(91 * DAY);
    tx.persist(application);
  }

  const application = new DeveloperApplication(
    ref(users.charles),
    'A calculating service that reads public posts mentioning mathematical tables, checks the figures quoted in them and replies with corrections where a table contains an error.',
  );
  application.companyName = 'Difference Engine Works';
  application.status = ApplicationStatus.QUESTION;
  application.createdAt = ago(DAY + 2 * HOUR);
  const question =
    'Will your service reply to posts automatically, or will a person review each correction first? Please also estimate how many posts a day it would read.';
  application.questionAskedAt = ago(20 * HOUR);
  tx.persist(application);
  const message = new ApplicationMessage(ref(application), ref(users.staff), true, question);
  message.createdAt = application.questionAskedAt;
  tx.persist(message);
  notification(
    tx,
    users.staff,
    applicationSubmittedNotice(users.staff.id, users.charles, application.id),
    application.createdAt,
  );
  notification(tx, users.charles, questionNotice(users.charles.id, question), message.createdAt);
}

interface DemoProducts {
  publicPosts: ApiProduct;
  directMessages: ApiProduct;
  enterpriseSearch: ApiProduct;
}

function planNamed(plans: Plan[], name: string): Plan {
  const plan = plans.find((candidate) => candidate.name === name);
  if (!plan) throw new Error(`The default plans have no ${name} plan.`);
  return plan;
}

function seedProducts(tx: EntityManager, plans: Plan[]): DemoProducts {
  const publicPosts = new ApiProduct('Public Posts API', 'public-posts');
  publicPosts.description = 'Read public posts and the profiles of the users who wrote them.';
  publicPosts.pathPrefixes = ['/2/tweets', '/2/users'];
  publicPosts.approvalMode = ApprovalMode.AUTO;

  const directMessages = new ApiProduct('Direct Messages API', 'direct-messages');
  directMessages.description =
    'Read and send direct messages on behalf of users who authorize your app.';
  directMessages.pathPrefixes = ['/2/dm_conversations'];
  directMessages.dmPathPrefixes = ['/2/dm_conversations'];
  directMessages.approvalMode = ApprovalMode.MANUAL;
  directMessages.requiresProject = true;

  const enterpriseSearch = new ApiProduct('Enterprise Search', 'enterprise-search');
  enterpriseSearch.description = 'Full-archive search over every public post.';
  enterpriseSearch.pathPrefixes = ['/2/search'];
  enterpriseSearch.approvalMode = ApprovalMode.CONDITIONAL;
  enterpriseSearch.approvalRules = {
    requireVerifiedOrg: false,
    minimumPlanRank: planNamed(plans, 'Pro').rank,
    maximumPermissionLevel: null,
    emailDomains: [],
  };

  const products = { publicPosts, directMessages, enterpriseSearch };
  for (const product of Object.values(products)) product.createdAt = ago(120 * DAY);
  tx.persist(Object.values(products));
  return products;
}

function seedReasonTemplates(tx: EntityManager): void {
  tx.persist([
    new ReasonTemplate(
      'Use case unclear',
      'We could not tell from your use case what the app will do with this product. Please describe the data you need, how you will use it and who will see it, then request access again.',
    ),
    new ReasonTemplate(
      'Approved for production',
      'Your use case fits the terms of this product. The app is approved for production traffic.',
    ),
  ]);
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

interface AnalyticalEngines {
  org: Organization;
  trendRadar: App;
  sentimentNotebook: App;
  helpdeskBridge: App;
  releaseBot: App;
}

function seedAnalyticalEngines(
  tx: EntityManager,
  users: Record<AccountKey, User>,
): AnalyticalEngines {
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

  const trendRadar = app(tx, org, insights, users.ada, {
    name: 'Trend Radar',
    description: 'Collects trending topics every minute.',
    websiteUrl: 'https://trends.analytical-engines.example',
    useCase: 'Aggregate public trends for internal dashboards.',
    permissionLevel: PermissionLevel.READ,
  });
  const sentimentNotebook = app(tx, org, insights, users.grace, {
    name: 'Sentiment Notebook',
    description: 'Scores the sentiment of mentions.',
    useCase: 'Research notebook for the data team.',
    permissionLevel: PermissionLevel.READ,
    attributes: [{ key: 'team', value: 'data-science' }],
  });
  const helpdeskBridge = app(tx, org, support, users.ada, {
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
  const releaseBot = app(tx, org, null, users.grace, {
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
  return { org, trendRadar, sentimentNotebook, helpdeskBridge, releaseBot };
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

/**
 * Analytical Engines is on the Basic plan for Public Posts; its apps asked for products, and the
 * products module's rules decided what was approved at once: Public Posts (AUTO) for Trend Radar
 * and Sentiment Notebook; Helpdesk Bridge waits for staff on Direct Messages (MANUAL) and Release
 * Bot on Enterprise Search (its plan is below Pro). A staging dev environment uses Trend Radar.
 */
function seedProductAccess(
  tx: EntityManager,
  users: Record<AccountKey, User>,
  engines: AnalyticalEngines,
  products: DemoProducts,
  plans: Plan[],
): void {
  const { org } = engines;
  const basic = planNamed(plans, 'Basic');
  const lowest = plans.reduce((low, plan) => (plan.rank < low.rank ? plan : low));
  tx.persist(new PlanSubscription(ref(org), ref(products.publicPosts), ref(basic)));
  const planOf = (product: ApiProduct): Plan => (product === products.publicPosts ? basic : lowest);

  const requests: [App, User, ApiProduct, Date][] = [
    [engines.trendRadar, users.ada, products.publicPosts, ago(60 * DAY)],
    [engines.sentimentNotebook, users.grace, products.publicPosts, ago(45 * DAY)],
    [engines.helpdeskBridge, users.ada, products.directMessages, ago(2 * DAY)],
    [engines.releaseBot, users.grace, products.enterpriseSearch, ago(5 * HOUR)],
  ];
  for (const [requested, requester, product, at] of requests) {
    const decision = evaluateApprovalRules(product, {
      orgVerified: org.verifiedAt !== null,
      planRank: planOf(product).rank,
      permissionLevel: requested.permissionLevel,
      ownerEmail: requester.email,
    });
    const grant = new ProductGrant(ref(org), ref(requested), ref(product), ref(requester));
    grant.createdAt = at;
    if (decision.approved) {
      grant.status = GrantStatus.APPROVED;
      grant.decidedAt = at;
      grant.decidedByRule = decision.rule;
    } else {
      grant.unmetRules = decision.failed;
      notification(tx, users.staff, grantSubmittedNotice(requested, org, [product]), at);
    }
    beginLife(requested, [grant.status]);
    tx.persist(grant);
    tx.persist(
      new AuditEntry({
        organization: ref(org),
        actor: ref(requester),
        action: 'grant.request',
        targetType: 'ProductGrant',
        targetId: grant.id,
        data: {
          appId: requested.id,
          productId: product.id,
          productName: product.name,
          status: grant.status,
          ...(decision.failed.length ? { unmetRules: decision.failed } : {}),
          seeded: true,
        },
      }),
    );
    if (decision.approved) {
      tx.persist(
        new AuditEntry({
          organization: ref(org),
          actor: null,
          action: 'grant.approve',
          targetType: 'ProductGrant',
          targetId: grant.id,
          data: { appId: requested.id, productId: product.id, rule: decision.rule, seeded: true },
        }),
      );
    }
  }

  const staging = new DevEnvironment(ref(org), ref(products.publicPosts), 'staging');
  staging.app = ref(engines.trendRadar);
  tx.persist(staging);
}

interface DemoCredential {
  app: App;
  kind: CredentialKind;
  createdAt: Date;
  lastUsedAt?: Date;
  revokedAt?: Date;
  /** Rotated out: works until then. */
  expiresAt?: Date;
  rotatedFrom?: Credential;
}

/**
 * Makes a credential the way the credentials module does (a real token, of which only the
 * hash and last four characters are kept) and forgets the secret: nobody can use a demo
 * credential, and none is ever printed.
 */
function credential(tx: EntityManager, owner: User, demo: DemoCredential): Credential {
  const prefixes = CREDENTIAL_PREFIXES[demo.kind];
  const secret = generateToken(prefixes.secret);
  const organization = tx.getReference(Organization, demo.app.organization.id, { wrapped: true });
  const created = new Credential({
    app: ref(demo.app),
    organization,
    kind: demo.kind,
    publicId: prefixes.publicId ? generateToken(prefixes.publicId) : null,
    secretHash: sha256(secret),
    lastFour: secret.slice(-4),
    createdBy: ref(owner),
    rotatedFrom: demo.rotatedFrom ? ref(demo.rotatedFrom) : null,
  });
  created.createdAt = demo.createdAt;
  created.lastUsedAt = demo.lastUsedAt ?? null;
  created.expiresAt = demo.expiresAt ?? null;
  if (demo.revokedAt) {
    created.revokedAt = demo.revokedAt;
    created.revokedBy = ref(owner);
  }
  tx.persist(created);
  tx.persist(
    new AuditEntry({
      organization,
      actor: ref(owner),
      action: demo.rotatedFrom ? 'credential.rotate' : 'credential.create',
      targetType: 'Credential',
      targetId: demo.rotatedFrom?.id ?? created.id,
      data: {
        appId: demo.app.id,
        kind: demo.kind,
        publicId: (demo.rotatedFrom ?? created).publicId,
        ...(demo.rotatedFrom ? { newCredentialId: created.id } : {}),
        seeded: true,
      },
    }),
  );
  return created;
}

/**
 * Ada's apps have keys. Trend Radar (live on Public Posts) calls the API with a consumer key
 * and a bearer token; a second consumer key was rotated two days ago with a week of grace, and
 * traffic is moving to its replacement (both used lately); an old bearer token was revoked.
 * Helpdesk Bridge, waiting for review, has an access token and an OAuth 2.0 client not used yet.
 */
function seedCredentials(
  tx: EntityManager,
  users: Record<AccountKey, User>,
  engines: AnalyticalEngines,
): void {
  const ada = users.ada;
  const { trendRadar, helpdeskBridge } = engines;
  credential(tx, ada, {
    app: trendRadar,
    kind: CredentialKind.CONSUMER_KEY,
    createdAt: ago(58 * DAY),
    lastUsedAt: ago(3 * 60_000),
  });
  credential(tx, ada, {
    app: trendRadar,
    kind: CredentialKind.BEARER_TOKEN,
    createdAt: ago(40 * DAY),
    lastUsedAt: ago(2 * HOUR),
  });
  credential(tx, ada, {
    app: trendRadar,
    kind: CredentialKind.BEARER_TOKEN,
    createdAt: ago(59 * DAY),
    lastUsedAt: ago(41 * DAY),
    revokedAt: ago(40 * DAY),
  });
  const rotatedAt = ago(2 * DAY);
  const rotatedOut = credential(tx, ada, {
    app: trendRadar,
    kind: CredentialKind.CONSUMER_KEY,
    createdAt: ago(55 * DAY),
    lastUsedAt: ago(25 * 60_000),
    expiresAt: new Date(rotatedAt.getTime() + 7 * DAY),
  });
  credential(tx, ada, {
    app: trendRadar,
    kind: CredentialKind.CONSUMER_KEY,
    createdAt: rotatedAt,
    lastUsedAt: ago(60_000),
    rotatedFrom: rotatedOut,
  });
  credential(tx, ada, {
    app: helpdeskBridge,
    kind: CredentialKind.ACCESS_TOKEN,
    createdAt: ago(2 * DAY),
  });
  credential(tx, ada, {
    app: helpdeskBridge,
    kind: CredentialKind.OAUTH2_CLIENT,
    createdAt: ago(2 * DAY),
  });
}
