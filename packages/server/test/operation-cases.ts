import { subscribe, type TestClient, type TestServer } from './harness.js';
import { signUpUser, uniqueEmail, type SignedInUser } from './builders.js';
import { createAppRow, invitationToken, inviteMember } from './org-builders.js';
import { createProductRow } from './grant-builders.js';
import { productInput, uniqueLabel } from './product-builders.js';
import { EmailTokenPurpose, User } from '../src/modules/accounts/accounts.entity.js';
import { hashPassword } from '../src/modules/accounts/accounts.service.js';
import { issueEmailToken } from '../src/modules/accounts/email-tokens.service.js';
import { DeveloperApplication } from '../src/modules/applications/applications.entity.js';
import { App } from '../src/modules/apps/apps.entity.js';
import { OAuthAuthorization } from '../src/modules/oauth/oauth.entity.js';
import {
  ChangelogEntry,
  ChangelogKind,
  LabsFeedback,
} from '../src/modules/catalogue/catalogue.entity.js';
import {
  MemberRole,
  Membership,
  Organization,
  OrganizationKind,
} from '../src/modules/orgs/orgs.entity.js';
import {
  ApiProduct,
  ApprovalMode,
  DevEnvironment,
} from '../src/modules/products/products.entity.js';

/**
 * One organization full of objects (a project, apps, credentials, grants, an invitation, a dev
 * environment …), the people around it, and a case for every root query, mutation and
 * subscription of the schema run against it: what the authorization matrix
 * (auth/access-matrix.test.ts) runs as each kind of caller, and the fine-grained token test
 * (auth/token-permissions.test.ts) with each token. Operations that use up or change what they
 * act on get a fresh object per run, so every caller meets the same tenant.
 */

export const ROLES = ['anonymous', 'outsider', 'developer', 'admin', 'staff'] as const;
export type Role = (typeof ROLES)[number];

export const PASSWORD = 'correct horse battery staple';
const NEW_PASSWORD = 'a different passphrase';
const USE_CASE =
  'We build an internal dashboard that reads public posts about our products and summarises the sentiment for the support team every morning.';

export type Variables = Record<string, unknown>;

export interface Case {
  /** The operation; `$`-variables come from `variables`. */
  document: string;
  /** Minimal valid variables for the tenant (called once per caller: fresh objects there). */
  variables?: (role: Role) => Variables | Promise<Variables>;
  /** Run on a session of its own (the operation ends the session it runs on). */
  ownSession?: boolean;
  /** Puts back what an allowed run changed of the caller (e.g. their password). */
  restore?: (role: Role) => Promise<void>;
}

export interface Tenant {
  staff: SignedInUser;
  /** ADMIN of the organization, owner of its apps. */
  admin: SignedInUser;
  /** DEVELOPER member of the organization. */
  developer: SignedInUser;
  /** Admin of another organization. */
  outsider: SignedInUser;
  /** The organization's ids. */
  ids: { orgId: string; appId: string; projectId: string };
  /** A case for every root operation, by `Type.field`. */
  cases: Record<string, Case>;
  /** A client of `role` (a copy of their session; a new anonymous client). */
  clientOf(role: Role): TestClient;
  /** Runs `testCase` as `role` and says what came of it: `ok`, `null`, or the error's code. */
  outcomeOf(name: string, testCase: Case, role: Role, client?: TestClient): Promise<string>;
}

/** An EC P-256 public key (JWK) an app may register for private_key_jwt. */
const APP_PUBLIC_KEY = JSON.stringify({
  kty: 'EC',
  crv: 'P-256',
  x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU',
  y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0',
});

/** Makes the tenant (its people, organization and objects) on `server`. */
export async function setUpTenant(server: TestServer): Promise<Tenant> {
  const passwordHash = await hashPassword(PASSWORD);
  const [staff, admin, developer, outsider] = await Promise.all([
    signUpUser(server, { name: 'Staff', staff: true }),
    signUpUser(server, { name: 'Admin' }),
    signUpUser(server, { name: 'Developer' }),
    signUpUser(server, { name: 'Outsider' }),
  ]);
  /** Plans need ranks of their own; the default plans use the first few. */
  let planRank = 100;
  const t = {
    orgId: '',
    projectId: '',
    appId: '',
    invitationToken: '',
    /** A MANUAL product and an AUTO one (its requests are approved at once). */
    productId: '',
    autoProductId: '',
    planId: '',
    devEnvironmentId: '',
    reasonTemplateId: '',
    /** Another user's developer application, with a staff question open. */
    applicationId: '',
    applicantNotificationId: '',
  };

  function clientOf(role: Role): TestClient {
    const users = { outsider, developer, admin, staff } as const;
    return role === 'anonymous' ? server.client() : users[role].client.clone();
  }

  /** A user written straight through the ORM, activated, with PASSWORD (for token operations). */
  async function spareUser(): Promise<{ id: string; email: string }> {
    const em = server.orm.em.fork();
    const user = new User(uniqueEmail('spare'), 'Spare User', passwordHash);
    user.activatedAt = new Date();
    await em.persist(user).flush();
    return { id: user.id, email: user.email };
  }

  async function emailToken(purpose: EmailTokenPurpose): Promise<string> {
    const { id } = await spareUser();
    return server.orm.em.fork().transactional((em) => issueEmailToken(em, id, purpose));
  }

  async function membershipOf(organizationId: string, userId: string, role: MemberRole) {
    const em = server.orm.em.fork();
    const membership = new Membership(
      em.getReference(Organization, organizationId, { wrapped: true }),
      em.getReference(User, userId, { wrapped: true }),
      role,
    );
    await em.persist(membership).flush();
    return membership.id;
  }

  const fresh = {
    app: async () => (await createAppRow(server, t.orgId, admin.id)).id,
    async appKey(): Promise<string> {
      const data = await admin.client.ok<{ addAppKey: { appKey: { id: string } } }>(
        `mutation ($id: ID!, $key: String!) { addAppKey(input: { appId: $id, publicKey: $key }) { appKey { id } } }`,
        { id: await fresh.app(), key: APP_PUBLIC_KEY },
      );
      return data.addAppKey.appKey.id;
    },
    async authorization(): Promise<string> {
      const em = server.orm.em.fork();
      const authorization = new OAuthAuthorization({
        user: em.getReference(User, admin.id, { wrapped: true }),
        app: em.getReference(App, await fresh.app(), { wrapped: true }),
        organization: em.getReference(Organization, t.orgId, { wrapped: true }),
        clientId: 'poi_matrix',
        grantId: `grant-${uniqueLabel('g')}`,
        scopes: ['read'],
      });
      await em.persist(authorization).flush();
      return authorization.id;
    },
    /** A Labs feedback on the tenant's product, by staff. */
    async feedback(): Promise<string> {
      const em = server.orm.em.fork();
      const feedback = new LabsFeedback({
        product: em.getReference(ApiProduct, t.productId, { wrapped: true }),
        author: em.getReference(User, staff.id, { wrapped: true }),
        rating: 3,
        text: 'Fine',
      });
      await em.persist(feedback).flush();
      return feedback.id;
    },
    /** A draft changelog entry of the tenant's product. */
    async changelogEntry(): Promise<string> {
      const em = server.orm.em.fork();
      const entry = new ChangelogEntry({
        product: em.getReference(ApiProduct, t.productId, { wrapped: true }),
        kind: ChangelogKind.NEW,
        title: 'Draft',
        author: null,
      });
      await em.persist(entry).flush();
      return entry.id;
    },
    async productDocument(): Promise<string> {
      const data = await staff.client.ok<{ saveProductDocument: { document: { id: string } } }>(
        `mutation ($id: ID!, $slug: String!) { saveProductDocument(input: { productId: $id, kind: GUIDE, slug: $slug, title: "Guide", source: "Text" }) { document { id } } }`,
        { id: t.productId, slug: uniqueLabel('doc') },
      );
      return data.saveProductDocument.document.id;
    },
    project: async () =>
      (
        await admin.client.ok<{ createProject: { project: { id: string } } }>(
          `mutation ($id: ID!) { createProject(input: { organizationId: $id, name: "Fresh", description: "", useCase: "" }) { project { id } } }`,
          { id: t.orgId },
        )
      ).createProject.project.id,
    credential: async () =>
      (
        await admin.client.ok<{ createCredential: { credential: { id: string } } }>(
          `mutation ($id: ID!) { createCredential(input: { appId: $id, kind: CONSUMER_KEY }) { credential { id } } }`,
          { id: t.appId },
        )
      ).createCredential.credential.id,
    async credentialInGrace(): Promise<string> {
      const id = await fresh.credential();
      await admin.client.ok(
        `mutation ($id: ID!) { rotateCredential(input: { credentialId: $id, graceDays: 7 }) { secret } }`,
        { id },
      );
      return id;
    },
    async grant(productId: string): Promise<string> {
      const appId = await fresh.app();
      const data = await admin.client.ok<{ requestProducts: { grants: { id: string }[] } }>(
        `mutation ($app: ID!, $p: ID!) { requestProducts(input: { appId: $app, productIds: [$p] }) { grants { id } } }`,
        { app: appId, p: productId },
      );
      return data.requestProducts.grants[0]!.id;
    },
    async devEnvironment(): Promise<string> {
      const em = server.orm.em.fork();
      const environment = new DevEnvironment(
        em.getReference(Organization, t.orgId, { wrapped: true }),
        em.getReference(ApiProduct, t.productId, { wrapped: true }),
        uniqueLabel('env'),
      );
      await em.persist(environment).flush();
      return environment.id;
    },
    invitation: async () =>
      (await inviteMember(admin, t.orgId, uniqueEmail('invitee'), 'DEVELOPER')).id,
    member: async () => membershipOf(t.orgId, (await spareUser()).id, MemberRole.DEVELOPER),
    personalAccessToken: async () =>
      (
        await admin.client.ok<{
          createFineGrainedPersonalAccessToken: { personalAccessToken: { id: string } };
        }>(
          `mutation { createFineGrainedPersonalAccessToken(input: { name: "fresh", permissions: [{ area: ACCOUNT, level: READ }], expiresInDays: 30 }) { personalAccessToken { id } } }`,
        )
      ).createFineGrainedPersonalAccessToken.personalAccessToken.id,
    /** The developer's token for an organization of its own whose admins approve tokens. */
    async pendingToken(): Promise<string> {
      const organizationId = await fresh.organization();
      await admin.client.ok(
        `mutation ($id: ID!) { setOrganizationTokenPolicy(input: { organizationId: $id, policy: REQUIRE_APPROVAL }) { organization { id } } }`,
        { id: organizationId },
      );
      const made = await developer.client.ok<{
        createFineGrainedPersonalAccessToken: {
          personalAccessToken: { id: string; status: string };
        };
      }>(
        `mutation ($id: ID!) { createFineGrainedPersonalAccessToken(input: { name: "asks", organizationId: $id, permissions: [{ area: APPS, level: READ }], expiresInDays: 7 }) { personalAccessToken { id status } } }`,
        { id: organizationId },
      );
      return made.createFineGrainedPersonalAccessToken.personalAccessToken.id;
    },
    product: async () => (await createProductRow(server)).id,
    plan: async () =>
      (
        await staff.client.ok<{ createPlan: { plan: { id: string } } }>(
          `mutation ($name: String!, $rank: Int!) { createPlan(input: { name: $name, rank: $rank, maxApps: 5, maxDevEnvironments: 5, rateLimitRequests: 10, rateLimitWindowSeconds: 60 }) { plan { id } } }`,
          { name: uniqueLabel('plan'), rank: ++planRank },
        )
      ).createPlan.plan.id,
    reasonTemplate: async () =>
      (
        await staff.client.ok<{ createReasonTemplate: { reasonTemplate: { id: string } } }>(
          `mutation { createReasonTemplate(input: { title: "Fresh", text: "A reason." }) { reasonTemplate { id } } }`,
        )
      ).createReasonTemplate.reasonTemplate.id,
    gatewayToken: async () =>
      (
        await staff.client.ok<{ createGatewayToken: { gatewayToken: { id: string } } }>(
          `mutation { createGatewayToken(input: { name: "fresh" }) { gatewayToken { id } } }`,
        )
      ).createGatewayToken.gatewayToken.id,
    async application(): Promise<string> {
      const em = server.orm.em.fork();
      const { id } = await spareUser();
      const application = new DeveloperApplication(
        em.getReference(User, id, { wrapped: true }),
        USE_CASE,
      );
      await em.persist(application).flush();
      return application.id;
    },
    async suspendedApp(): Promise<string> {
      const id = await fresh.app();
      await staff.client.ok(
        `mutation ($id: ID!) { suspendApp(input: { appId: $id, reason: "Abuse report" }) { app { id } } }`,
        { id },
      );
      return id;
    },
    /**
     * An endpoint (to a port where nothing listens) in an organization of its own where admin is
     * ADMIN and developer DEVELOPER, so that the tenant's endpoint limit is never reached.
     */
    async webhookEndpoint(): Promise<string> {
      const organizationId = await fresh.organization();
      const data = await admin.client.ok<{ createWebhookEndpoint: { endpoint: { id: string } } }>(
        `mutation ($id: ID!) { createWebhookEndpoint(input: { organizationId: $id, url: "http://127.0.0.1:9/hooks", eventTypes: [APP_DELETED] }) { endpoint { id } } }`,
        { id: organizationId },
      );
      return data.createWebhookEndpoint.endpoint.id;
    },
    async webhookDelivery(): Promise<string> {
      const id = await fresh.webhookEndpoint();
      const data = await admin.client.ok<{ sendTestWebhook: { delivery: { id: string } } }>(
        `mutation ($id: ID!) { sendTestWebhook(input: { endpointId: $id }) { delivery { id } } }`,
        { id },
      );
      return data.sendTestWebhook.delivery.id;
    },
    /** A staff dry run (PLANNED) of suspending a fresh app. */
    async dryRun(): Promise<string> {
      const id = await fresh.app();
      const data = await staff.client.ok<{ planBulkRun: { run: { id: string } } }>(
        `mutation ($id: ID!) { planBulkRun(input: { action: SUSPEND, criteria: { ids: [$id] }, reason: "Abuse report" }) { run { id } } }`,
        { id },
      );
      return data.planBulkRun.run.id;
    },
    /** An organization where admin is ADMIN (with another admin) and developer is DEVELOPER. */
    async organization(): Promise<string> {
      const em = server.orm.em.fork();
      const label = uniqueLabel('org');
      const org = new Organization(`Org ${label}`, label, OrganizationKind.TEAM);
      await em.persist(org).flush();
      await membershipOf(org.id, admin.id, MemberRole.ADMIN);
      await membershipOf(org.id, (await spareUser()).id, MemberRole.ADMIN);
      await membershipOf(org.id, developer.id, MemberRole.DEVELOPER);
      return org.id;
    },
  };

  const cases: Record<string, Case> = {
    'Query.catalogue': { document: `{ catalogue { id } }` },
    'Query.catalogueProduct': {
      document: `query ($slug: String!) { catalogueProduct(slug: $slug) { id } }`,
      variables: async () => ({
        slug: (await server.orm.em.fork().findOneOrFail(ApiProduct, { id: t.productId })).slug,
      }),
    },
    'Query.deprecationImpact': {
      document: `query ($id: ID!) { deprecationImpact(productId: $id) { totalRequests } }`,
      variables: () => ({ id: t.productId }),
    },
    'Query.labsFeedback': { document: `{ labsFeedback { id } }` },
    'Query.labsProducts': { document: `{ labsProducts { id } }` },
    'Query.searchCatalogue': { document: `{ searchCatalogue(query: "posts") { title } }` },
    'Mutation.answerLabsFeedback': {
      document: `mutation ($id: ID!) { answerLabsFeedback(input: { feedbackId: $id, answer: "Thanks" }) { feedback { id } } }`,
      variables: async () => ({ id: await fresh.feedback() }),
    },
    'Mutation.closeLabsFeedback': {
      document: `mutation ($id: ID!) { closeLabsFeedback(input: { feedbackId: $id }) { feedback { id } } }`,
      variables: async () => ({ id: await fresh.feedback() }),
    },
    'Mutation.createChangelogEntry': {
      document: `mutation ($id: ID!) { createChangelogEntry(input: { productId: $id, kind: NEW, title: "New" }) { entry { id } } }`,
      variables: () => ({ id: t.productId }),
    },
    'Mutation.createSandboxToken': {
      document: `mutation ($id: ID!, $p: ID!) { createSandboxToken(input: { appId: $id, productId: $p }) { expiresAt } }`,
      variables: () => ({ id: t.appId, p: t.productId }),
    },
    'Mutation.deleteProductDocument': {
      document: `mutation ($id: ID!) { deleteProductDocument(input: { documentId: $id }) { deletedDocumentId } }`,
      variables: async () => ({ id: await fresh.productDocument() }),
    },
    'Mutation.publishChangelogEntry': {
      document: `mutation ($id: ID!) { publishChangelogEntry(input: { entryId: $id }) { entry { id } } }`,
      variables: async () => ({ id: await fresh.changelogEntry() }),
    },
    'Mutation.publishProductDocument': {
      document: `mutation ($id: ID!) { publishProductDocument(input: { documentId: $id }) { document { id } } }`,
      variables: async () => ({ id: await fresh.productDocument() }),
    },
    'Mutation.saveProductDocument': {
      document: `mutation ($id: ID!, $slug: String!) { saveProductDocument(input: { productId: $id, kind: GUIDE, slug: $slug, title: "Guide", source: "Text" }) { document { id } } }`,
      variables: () => ({ id: t.productId, slug: uniqueLabel('guide') }),
    },
    'Mutation.sendDeprecationNotice': {
      document: `mutation ($id: ID!) { sendDeprecationNotice(input: { productId: $id, message: "Going away" }) { notifiedOwners } }`,
      variables: () => ({ id: t.productId }),
    },
    'Mutation.sendLabsFeedback': {
      document: `mutation ($id: ID!) { sendLabsFeedback(input: { productId: $id, rating: 3, text: "Fine" }) { feedback { id } } }`,
      variables: () => ({ id: t.productId }),
    },
    'Mutation.updateChangelogEntry': {
      document: `mutation ($id: ID!) { updateChangelogEntry(input: { entryId: $id, title: "Renamed" }) { entry { id } } }`,
      variables: async () => ({ id: await fresh.changelogEntry() }),
    },
    'Mutation.updateProductCatalogue': {
      document: `mutation ($id: ID!) { updateProductCatalogue(input: { productId: $id, docsPublic: false }) { product { id } } }`,
      variables: () => ({ id: t.productId }),
    },
    'Query.authorizedApps': { document: `{ authorizedApps { id } }` },
    'Mutation.addAppKey': {
      document: `mutation ($id: ID!, $key: String!) { addAppKey(input: { appId: $id, publicKey: $key }) { appKey { id } } }`,
      variables: async () => ({ id: await fresh.app(), key: APP_PUBLIC_KEY }),
    },
    'Mutation.removeAppKey': {
      document: `mutation ($id: ID!) { removeAppKey(input: { appKeyId: $id }) { appKey { id } } }`,
      variables: async () => ({ id: await fresh.appKey() }),
    },
    'Mutation.revokeAuthorizedApp': {
      document: `mutation ($id: ID!) { revokeAuthorizedApp(input: { authorizationId: $id }) { authorization { id } } }`,
      variables: async () => ({ id: await fresh.authorization() }),
    },
    'Mutation.rotateOAuthSigningKey': {
      document: `mutation { rotateOAuthSigningKey { kid } }`,
    },
    'Query.staffHighUsageApps': {
      document: `query ($id: ID!) { staffHighUsageApps(by: PERCENT_OF_CAP, top: 5, filter: { organizationId: $id, errorRateOver: 0 }) { upgradeSuggestedCount apps { id usage { percentOfCap suggestUpgrade } } } }`,
      variables: () => ({ id: t.orgId }),
    },
    'Query.app': {
      document: `query ($id: ID!) { app(id: $id) { id } }`,
      variables: () => ({ id: t.appId }),
    },
    'Query.auditLog': {
      document: `query ($id: ID!) { auditLog(organizationId: $id) { totalCount } }`,
      variables: () => ({ id: t.orgId }),
    },
    'Query.developerApplications': {
      document: `{ developerApplications { totalCount } }`,
    },
    'Query.gatewayTokens': { document: `{ gatewayTokens { id } }` },
    'Query.invitationByToken': {
      document: `query ($token: String!) { invitationByToken(token: $token) { email } }`,
      variables: () => ({ token: t.invitationToken }),
    },
    'Query.mailOutbox': { document: `{ mailOutbox { totalCount } }` },
    'Query.node': {
      document: `query ($id: ID!) { node(id: $id) { id } }`,
      variables: () => ({ id: t.appId }),
    },
    'Query.organization': {
      document: `query ($id: ID!) { organization(id: $id) { id } }`,
      variables: () => ({ id: t.orgId }),
    },
    'Query.usage': {
      document: `query ($id: ID!) { usage(of: $id, period: LAST_24_HOURS) { totals { requests } } }`,
      variables: () => ({ id: t.orgId }),
    },
    'Query.plans': { document: `{ plans { id } }` },
    'Query.product': {
      document: `query ($id: ID!) { product(id: $id) { id } }`,
      variables: () => ({ id: t.productId }),
    },
    'Query.products': { document: `{ products { id } }` },
    'Query.project': {
      document: `query ($id: ID!) { project(id: $id) { id } }`,
      variables: () => ({ id: t.projectId }),
    },
    'Query.rateLimit': { document: `{ rateLimit { remaining } }` },
    'Query.reasonTemplates': { document: `{ reasonTemplates { id } }` },
    'Query.reviewQueue': { document: `{ reviewQueue { totalCount } }` },
    'Query.viewer': { document: `{ viewer { id } }` },
    'Query.webhookEndpoints': {
      document: `query ($id: ID!) { webhookEndpoints(organizationId: $id) { id } }`,
      variables: () => ({ id: t.orgId }),
    },

    'Mutation.acceptInvitation': {
      document: `mutation ($token: String!) { acceptInvitation(input: { token: $token }) { membership { id } } }`,
      variables: () => ({ token: t.invitationToken }),
    },
    'Mutation.answerApplicationQuestion': {
      document: `mutation ($id: ID!) { answerApplicationQuestion(input: { applicationId: $id, body: "Every product." }) { application { id } } }`,
      variables: () => ({ id: t.applicationId }),
    },
    'Mutation.applyForDeveloperAccount': {
      document: `mutation ($u: String!) { applyForDeveloperAccount(input: { useCase: $u }) { application { id } } }`,
      variables: () => ({ u: USE_CASE }),
    },
    'Mutation.archiveProduct': {
      document: `mutation ($id: ID!) { archiveProduct(input: { productId: $id }) { product { id } } }`,
      variables: async () => ({ id: await fresh.product() }),
    },
    'Mutation.askApplicationQuestion': {
      document: `mutation ($id: ID!) { askApplicationQuestion(input: { applicationId: $id, body: "Which products?" }) { application { id } } }`,
      variables: async () => ({ id: await fresh.application() }),
    },
    'Mutation.changeMemberRole': {
      document: `mutation ($id: ID!) { changeMemberRole(input: { membershipId: $id, role: ADMIN }) { membership { id } } }`,
      variables: async () => ({ id: await fresh.member() }),
    },
    'Mutation.changePassword': {
      document: `mutation ($current: String!, $next: String!) { changePassword(input: { currentPassword: $current, newPassword: $next }) { user { id } } }`,
      variables: () => ({ current: PASSWORD, next: NEW_PASSWORD }),
      async restore(role) {
        if (role === 'anonymous') return;
        await clientOf(role).execute(
          `mutation ($current: String!, $next: String!) { changePassword(input: { currentPassword: $current, newPassword: $next }) { user { id } } }`,
          { current: NEW_PASSWORD, next: PASSWORD },
        );
      },
    },
    'Mutation.changePlan': {
      document: `mutation ($org: ID!, $p: ID!, $plan: ID!) { changePlan(input: { organizationId: $org, productId: $p, planId: $plan }) { planSubscription { id } } }`,
      variables: () => ({ org: t.orgId, p: t.productId, plan: t.planId }),
    },
    'Mutation.createApp': {
      document: `mutation ($org: ID!, $name: String!) { createApp(input: { organizationId: $org, name: $name }) { app { id } } }`,
      variables: () => ({ org: t.orgId, name: uniqueLabel('app') }),
    },
    'Mutation.createCredential': {
      document: `mutation ($id: ID!) { createCredential(input: { appId: $id, kind: BEARER_TOKEN }) { credential { id } } }`,
      variables: () => ({ id: t.appId }),
    },
    'Mutation.createDevEnvironment': {
      document: `mutation ($org: ID!, $p: ID!, $label: String!) { createDevEnvironment(input: { organizationId: $org, productId: $p, label: $label }) { devEnvironment { id } } }`,
      variables: () => ({ org: t.orgId, p: t.productId, label: uniqueLabel('env') }),
    },
    'Mutation.createGatewayToken': {
      document: `mutation { createGatewayToken(input: { name: "edge" }) { gatewayToken { id } } }`,
    },
    'Mutation.createOrganization': {
      document: `mutation ($name: String!) { createOrganization(input: { name: $name }) { organization { id } } }`,
      variables: () => ({ name: uniqueLabel('Org') }),
    },
    'Mutation.createPersonalAccessToken': {
      document: `mutation { createPersonalAccessToken(input: { name: "ci", scopes: [READ] }) { personalAccessToken { id } } }`,
    },
    'Mutation.createFineGrainedPersonalAccessToken': {
      document: `mutation ($id: ID!) { createFineGrainedPersonalAccessToken(input: { name: "ci", organizationId: $id, permissions: [{ area: APPS, level: READ }], expiresInDays: 30 }) { personalAccessToken { id } } }`,
      variables: () => ({ id: t.orgId }),
    },
    'Mutation.reviewPersonalAccessToken': {
      document: `mutation ($id: ID!) { reviewPersonalAccessToken(input: { tokenId: $id, decision: APPROVE }) { personalAccessToken { id } } }`,
      variables: async () => ({ id: await fresh.pendingToken() }),
    },
    'Mutation.setOrganizationTokenPolicy': {
      document: `mutation ($id: ID!) { setOrganizationTokenPolicy(input: { organizationId: $id, policy: REQUIRE_APPROVAL }) { organization { id } } }`,
      variables: async () => ({ id: await fresh.organization() }),
    },
    'Mutation.createPlan': {
      document: `mutation ($name: String!, $rank: Int!) { createPlan(input: { name: $name, rank: $rank, maxApps: 5, maxDevEnvironments: 5, rateLimitRequests: 10, rateLimitWindowSeconds: 60 }) { plan { id } } }`,
      variables: () => ({ name: uniqueLabel('plan'), rank: ++planRank }),
    },
    'Mutation.createProduct': {
      document: `mutation ($input: CreateProductInput!) { createProduct(input: $input) { product { id } } }`,
      variables: () => ({ input: productInput() }),
    },
    'Mutation.createProject': {
      document: `mutation ($id: ID!) { createProject(input: { organizationId: $id, name: "Planted", description: "", useCase: "" }) { project { id } } }`,
      variables: () => ({ id: t.orgId }),
    },
    'Mutation.createReasonTemplate': {
      document: `mutation { createReasonTemplate(input: { title: "Missing details", text: "Tell us more." }) { reasonTemplate { id } } }`,
    },
    'Mutation.decideApplication': {
      document: `mutation ($id: ID!) { decideApplication(input: { applicationId: $id, decision: APPROVE }) { application { id } } }`,
      variables: async () => ({ id: await fresh.application() }),
    },
    'Mutation.decideGrants': {
      document: `mutation ($id: ID!) { decideGrants(input: { grantIds: [$id], decision: APPROVE }) { grants { id } } }`,
      variables: async () => ({ id: await fresh.grant(t.productId) }),
    },
    'Mutation.declineInvitation': {
      document: `mutation ($token: String!) { declineInvitation(input: { token: $token }) { invitation { id } } }`,
      variables: () => ({ token: t.invitationToken }),
    },
    'Mutation.deleteApp': {
      document: `mutation ($id: ID!) { deleteApp(input: { appId: $id, reason: "gone" }) { deletedAppId } }`,
      variables: async () => ({ id: await fresh.app() }),
    },
    'Mutation.deleteDevEnvironment': {
      document: `mutation ($id: ID!) { deleteDevEnvironment(input: { devEnvironmentId: $id }) { deletedDevEnvironmentId } }`,
      variables: async () => ({ id: await fresh.devEnvironment() }),
    },
    'Mutation.deleteProject': {
      document: `mutation ($id: ID!) { deleteProject(input: { projectId: $id }) { deletedProjectId } }`,
      variables: async () => ({ id: await fresh.project() }),
    },
    'Mutation.deleteReasonTemplate': {
      document: `mutation ($id: ID!) { deleteReasonTemplate(input: { reasonTemplateId: $id }) { deletedReasonTemplateId } }`,
      variables: async () => ({ id: await fresh.reasonTemplate() }),
    },
    'Mutation.endCredentialGrace': {
      document: `mutation ($id: ID!) { endCredentialGrace(input: { credentialId: $id }) { credential { id } } }`,
      variables: async () => ({ id: await fresh.credentialInGrace() }),
    },
    'Mutation.inviteMember': {
      document: `mutation ($id: ID!, $email: String!) { inviteMember(input: { organizationId: $id, email: $email, role: DEVELOPER }) { invitation { id } } }`,
      variables: () => ({ id: t.orgId, email: uniqueEmail('invited') }),
    },
    'Mutation.leaveOrganization': {
      document: `mutation ($id: ID!) { leaveOrganization(input: { organizationId: $id }) { organizationId } }`,
      variables: async () => ({ id: await fresh.organization() }),
    },
    'Mutation.markNotificationsRead': {
      document: `mutation ($ids: [ID!]) { markNotificationsRead(input: { ids: $ids }) { markedCount } }`,
      variables: () => ({ ids: [t.applicantNotificationId] }),
    },
    'Mutation.regenerateCredential': {
      document: `mutation ($id: ID!) { regenerateCredential(input: { credentialId: $id }) { secret } }`,
      variables: async () => ({ id: await fresh.credential() }),
    },
    'Mutation.removeMember': {
      document: `mutation ($id: ID!) { removeMember(input: { membershipId: $id }) { removedMembershipId } }`,
      variables: async () => ({ id: await fresh.member() }),
    },
    'Mutation.requestPasswordReset': {
      document: `mutation ($email: String!) { requestPasswordReset(input: { email: $email }) { sent } }`,
      variables: async () => ({ email: (await spareUser()).email }),
    },
    'Mutation.requestProducts': {
      document: `mutation ($app: ID!, $p: ID!) { requestProducts(input: { appId: $app, productIds: [$p] }) { grants { id } } }`,
      variables: async () => ({ app: await fresh.app(), p: t.productId }),
    },
    'Mutation.resendInvitation': {
      document: `mutation ($id: ID!) { resendInvitation(input: { invitationId: $id }) { invitation { id } } }`,
      variables: async () => ({ id: await fresh.invitation() }),
    },
    'Mutation.resendVerificationEmail': {
      document: `mutation { resendVerificationEmail { sent } }`,
    },
    'Mutation.resetPassword': {
      document: `mutation ($token: String!, $password: String!) { resetPassword(input: { token: $token, password: $password }) { user { id } } }`,
      variables: async () => ({
        token: await emailToken(EmailTokenPurpose.RESET_PASSWORD),
        password: NEW_PASSWORD,
      }),
    },
    'Mutation.revokeCredential': {
      document: `mutation ($id: ID!) { revokeCredential(input: { credentialId: $id }) { credential { id } } }`,
      variables: async () => ({ id: await fresh.credential() }),
    },
    'Mutation.revokeGatewayToken': {
      document: `mutation ($id: ID!) { revokeGatewayToken(input: { gatewayTokenId: $id }) { gatewayToken { id } } }`,
      variables: async () => ({ id: await fresh.gatewayToken() }),
    },
    'Mutation.revokeGrant': {
      document: `mutation ($id: ID!) { revokeGrant(input: { grantId: $id, reason: "Abuse" }) { grant { id } } }`,
      variables: async () => ({ id: await fresh.grant(t.autoProductId) }),
    },
    'Mutation.revokeInvitation': {
      document: `mutation ($id: ID!) { revokeInvitation(input: { invitationId: $id }) { invitation { id } } }`,
      variables: async () => ({ id: await fresh.invitation() }),
    },
    'Mutation.revokePersonalAccessToken': {
      document: `mutation ($id: ID!) { revokePersonalAccessToken(input: { id: $id }) { personalAccessToken { id } } }`,
      variables: async () => ({ id: await fresh.personalAccessToken() }),
    },
    'Mutation.rotateCredential': {
      document: `mutation ($id: ID!) { rotateCredential(input: { credentialId: $id, graceDays: 1 }) { secret } }`,
      variables: async () => ({ id: await fresh.credential() }),
    },
    'Mutation.signIn': {
      document: `mutation ($email: String!, $password: String!) { signIn(input: { email: $email, password: $password }) { user { id } } }`,
      variables: async () => ({ email: (await spareUser()).email, password: PASSWORD }),
    },
    'Mutation.signOut': { document: `mutation { signOut { signedOut } }`, ownSession: true },
    'Mutation.signUp': {
      document: `mutation ($email: String!) { signUp(input: { email: $email, name: "New", password: "long enough password" }) { sent } }`,
      variables: () => ({ email: uniqueEmail('signup') }),
    },
    'Mutation.suspendApp': {
      document: `mutation ($id: ID!) { suspendApp(input: { appId: $id, reason: "Abuse report" }) { app { id } } }`,
      variables: async () => ({ id: await fresh.app() }),
    },
    'Mutation.unsuspendApp': {
      document: `mutation ($id: ID!) { unsuspendApp(input: { appId: $id }) { app { id } } }`,
      variables: async () => ({ id: await fresh.suspendedApp() }),
    },
    'Mutation.updateApp': {
      document: `mutation ($id: ID!) { updateApp(input: { appId: $id, name: "Tenant app" }) { app { id } } }`,
      variables: () => ({ id: t.appId }),
    },
    'Mutation.updateDevEnvironment': {
      document: `mutation ($id: ID!) { updateDevEnvironment(input: { devEnvironmentId: $id, label: "staging" }) { devEnvironment { id } } }`,
      variables: () => ({ id: t.devEnvironmentId }),
    },
    'Mutation.updateOrganization': {
      document: `mutation ($id: ID!) { updateOrganization(input: { organizationId: $id, name: "Tenant Org" }) { organization { id } } }`,
      variables: () => ({ id: t.orgId }),
    },
    'Mutation.updatePlan': {
      document: `mutation ($id: ID!) { updatePlan(input: { planId: $id, maxApps: 6 }) { plan { id } } }`,
      variables: async () => ({ id: await fresh.plan() }),
    },
    'Mutation.updateProduct': {
      document: `mutation ($id: ID!) { updateProduct(input: { productId: $id, description: "Updated" }) { product { id } } }`,
      variables: () => ({ id: t.productId }),
    },
    'Mutation.updateProfile': {
      document: `mutation { updateProfile(input: { name: "Same Name" }) { user { id } } }`,
    },
    'Mutation.updateProject': {
      document: `mutation ($id: ID!) { updateProject(input: { projectId: $id, name: "Tenant project" }) { project { id } } }`,
      variables: () => ({ id: t.projectId }),
    },
    'Mutation.updateReasonTemplate': {
      document: `mutation ($id: ID!) { updateReasonTemplate(input: { reasonTemplateId: $id, title: "Renamed" }) { reasonTemplate { id } } }`,
      variables: () => ({ id: t.reasonTemplateId }),
    },
    'Mutation.verifyEmail': {
      document: `mutation ($token: String!) { verifyEmail(input: { token: $token }) { user { id } } }`,
      variables: async () => ({ token: await emailToken(EmailTokenPurpose.VERIFY_EMAIL) }),
    },
    'Mutation.withdrawGrantRequest': {
      document: `mutation ($id: ID!) { withdrawGrantRequest(input: { grantId: $id }) { grant { id } } }`,
      variables: async () => ({ id: await fresh.grant(t.productId) }),
    },
    'Mutation.createWebhookEndpoint': {
      document: `mutation ($id: ID!) { createWebhookEndpoint(input: { organizationId: $id, url: "http://127.0.0.1:9/hooks", eventTypes: [APP_APPROVED] }) { endpoint { id } } }`,
      variables: () => ({ id: t.orgId }),
    },
    'Mutation.updateWebhookEndpoint': {
      document: `mutation ($id: ID!) { updateWebhookEndpoint(input: { endpointId: $id, description: "Renamed" }) { endpoint { id } } }`,
      variables: async () => ({ id: await fresh.webhookEndpoint() }),
    },
    'Mutation.disableWebhookEndpoint': {
      document: `mutation ($id: ID!) { disableWebhookEndpoint(input: { endpointId: $id }) { endpoint { id } } }`,
      variables: async () => ({ id: await fresh.webhookEndpoint() }),
    },
    'Mutation.enableWebhookEndpoint': {
      document: `mutation ($id: ID!) { enableWebhookEndpoint(input: { endpointId: $id }) { endpoint { id } } }`,
      variables: async () => ({ id: await fresh.webhookEndpoint() }),
    },
    'Mutation.deleteWebhookEndpoint': {
      document: `mutation ($id: ID!) { deleteWebhookEndpoint(input: { endpointId: $id }) { deletedEndpointId } }`,
      variables: async () => ({ id: await fresh.webhookEndpoint() }),
    },
    'Mutation.rotateWebhookSecret': {
      document: `mutation ($id: ID!) { rotateWebhookSecret(input: { endpointId: $id }) { endpoint { id } } }`,
      variables: async () => ({ id: await fresh.webhookEndpoint() }),
    },
    'Mutation.sendTestWebhook': {
      document: `mutation ($id: ID!) { sendTestWebhook(input: { endpointId: $id }) { delivery { id } } }`,
      variables: async () => ({ id: await fresh.webhookEndpoint() }),
    },
    'Mutation.replayWebhookDelivery': {
      document: `mutation ($id: ID!) { replayWebhookDelivery(input: { deliveryId: $id }) { delivery { id } } }`,
      variables: async () => ({ id: await fresh.webhookDelivery() }),
    },

    'Subscription.organizationEvents': {
      document: `subscription ($id: ID!) { organizationEvents(organizationId: $id) { id } }`,
      variables: () => ({ id: t.orgId }),
    },
    'Subscription.reviewQueueEvents': { document: `subscription { reviewQueueEvents { id } }` },
    'Subscription.viewerEvents': { document: `subscription { viewerEvents { id } }` },

    'Query.bulkRun': {
      document: `query ($id: ID!) { bulkRun(id: $id) { id } }`,
      variables: async () => ({ id: await fresh.dryRun() }),
    },
    'Query.bulkRuns': { document: `{ bulkRuns(first: 1) { totalCount } }` },
    'Query.staffApp': {
      document: `query ($id: ID!) { staffApp(id: $id) { id } }`,
      variables: () => ({ id: t.appId }),
    },
    'Query.staffApps': {
      document: `query ($id: ID!) { staffApps(filter: { organizationId: $id }) { totalCount } }`,
      variables: () => ({ id: t.orgId }),
    },
    'Query.staffAuditLog': {
      document: `query ($id: ID!) { staffAuditLog(filter: { organizationId: $id }) { totalCount } }`,
      variables: () => ({ id: t.orgId }),
    },
    'Query.staffInventorySummary': { document: `{ staffInventorySummary { apps } }` },
    'Query.staffOrganization': {
      document: `query ($id: ID!) { staffOrganization(id: $id) { id } }`,
      variables: () => ({ id: t.orgId }),
    },
    'Query.staffOrganizations': { document: `{ staffOrganizations(first: 1) { totalCount } }` },
    'Query.staffPendingQueue': { document: `{ staffPendingQueue { pendingCount } }` },
    'Mutation.planBulkRun': {
      document: `mutation ($id: ID!) { planBulkRun(input: { action: SUSPEND, criteria: { ids: [$id] }, reason: "Abuse report" }) { run { id } } }`,
      variables: () => ({ id: t.appId }),
    },
    'Mutation.setOrganizationVerified': {
      document: `mutation ($id: ID!) { setOrganizationVerified(input: { organizationId: $id, verified: true, reason: "Known company" }) { organization { id } } }`,
      variables: async () => ({ id: await fresh.organization() }),
    },
    'Mutation.startBulkRun': {
      document: `mutation ($id: ID!) { startBulkRun(input: { runId: $id }) { run { id } } }`,
      variables: async () => ({ id: await fresh.dryRun() }),
    },
    'Subscription.staffEvents': { document: `subscription { staffEvents { id } }` },
  };

  async function clientFor(role: Role, testCase: Case): Promise<TestClient> {
    if (!testCase.ownSession || role === 'anonymous') return clientOf(role);
    const client = server.client();
    const users = { outsider, developer, admin, staff } as const;
    await client.ok(`mutation ($input: SignInInput!) { signIn(input: $input) { user { id } } }`, {
      input: { email: users[role].email, password: PASSWORD },
    });
    return client;
  }

  /** Runs the case as `role` and says what came of it. */
  async function outcomeOf(
    name: string,
    testCase: Case,
    role: Role,
    given?: TestClient,
  ): Promise<string> {
    const client = given ?? (await clientFor(role, testCase));
    const variables = (await testCase.variables?.(role)) ?? {};
    if (name.startsWith('Subscription.')) {
      const live = await subscribe(server, client, testCase.document, variables);
      try {
        const code = live.errors?.[0]?.extensions?.code;
        return live.errors ? String(code ?? live.errors[0]?.message) : 'ok';
      } finally {
        await live.close();
      }
    }
    const result = await client.execute<Record<string, unknown>>(testCase.document, variables);
    const error = result.errors?.[0];
    if (error) return error.extensions?.code ?? error.message;
    const value = result.data ? Object.values(result.data)[0] : null;
    if (value === null || value === undefined) return 'null';
    if (Object.keys(result.data ?? {}).length !== 1) return 'unexpected data';
    await testCase.restore?.(role);
    return 'ok';
  }

  const org = await admin.client.ok<{ createOrganization: { organization: { id: string } } }>(
    `mutation { createOrganization(input: { name: "Tenant Org" }) { organization { id } } }`,
  );
  t.orgId = org.createOrganization.organization.id;
  await membershipOf(t.orgId, developer.id, MemberRole.DEVELOPER);
  await outsider.client.ok(
    `mutation { createOrganization(input: { name: "Outsider Inc" }) { organization { id } } }`,
  );
  t.projectId = await fresh.project();
  const app = await admin.client.ok<{ createApp: { app: { id: string } } }>(
    `mutation ($org: ID!, $p: ID) { createApp(input: { organizationId: $org, projectId: $p, name: "Tenant app" }) { app { id } } }`,
    { org: t.orgId, p: t.projectId },
  );
  t.appId = app.createApp.app.id;
  await fresh.credential();
  const invitation = await inviteMember(admin, t.orgId, uniqueEmail('someone'), 'DEVELOPER');
  t.invitationToken = await invitationToken(server, invitation.email);
  t.productId = (await createProductRow(server)).id;
  t.autoProductId = (await createProductRow(server, { approvalMode: ApprovalMode.AUTO })).id;
  const plans = await admin.client.ok<{ plans: { id: string; rank: number }[] }>(
    `{ plans { id rank } }`,
  );
  t.planId = plans.plans.reduce((top, plan) => (plan.rank > top.rank ? plan : top)).id;
  t.devEnvironmentId = await fresh.devEnvironment();
  t.reasonTemplateId = await fresh.reasonTemplate();

  // Another user's developer application, with a staff question (and its notification).
  const applicant = await signUpUser(server, { name: 'Applicant', approved: false });
  const applied = await applicant.client.ok<{
    applyForDeveloperAccount: { application: { id: string } };
  }>(
    `mutation ($u: String!) { applyForDeveloperAccount(input: { useCase: $u }) { application { id } } }`,
    { u: USE_CASE },
  );
  t.applicationId = applied.applyForDeveloperAccount.application.id;
  await staff.client.ok(
    `mutation ($id: ID!) { askApplicationQuestion(input: { applicationId: $id, body: "Which products?" }) { application { id } } }`,
    { id: t.applicationId },
  );
  const notifications = await applicant.client.ok<{
    viewer: { notifications: { nodes: { id: string }[] } };
  }>(`{ viewer { notifications(first: 1) { nodes { id } } } }`);
  t.applicantNotificationId = notifications.viewer.notifications.nodes[0]!.id;

  return {
    staff,
    admin,
    developer,
    outsider,
    ids: { orgId: t.orgId, appId: t.appId, projectId: t.projectId },
    cases,
    clientOf,
    outcomeOf,
  };
}
