import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  getNamedType,
  isInputObjectType,
  isObjectType,
  type GraphQLArgument,
  type GraphQLInputType,
} from 'graphql';
import { startTestServer, subscribe, type TestServer } from '../../test/harness.js';
import { signUpUser, type SignedInUser } from '../../test/builders.js';
import { createProduct } from '../../test/product-builders.js';
import { User } from '../modules/accounts/accounts.entity.js';
import { App } from '../modules/apps/apps.entity.js';
import { OAuthAuthorization } from '../modules/oauth/oauth.entity.js';
import { Organization } from '../modules/orgs/orgs.entity.js';
import { listAccessRules } from './access.js';

/**
 * Every operation that takes an id (or a token) is run by an admin of another organization
 * against the first organization's objects (or another user's), and must be refused without
 * changing anything. Staff-only operations are listed apart and checked to be STAFF by rule.
 */
let server: TestServer;
let owner: SignedInUser;
let outsider: SignedInUser;
let staff: SignedInUser;
let applicant: SignedInUser;
let outsiderOrgId = '';
const ids = {
  organizationId: '',
  projectId: '',
  appId: '',
  membershipId: '',
  invitationId: '',
  tokenId: '',
  appKeyId: '',
  authorizationId: '',
  /** A MANUAL product the app has a pending request for. */
  productId: '',
  /** A second product, not yet requested. */
  otherProductId: '',
  planId: '',
  grantId: '',
  devEnvironmentId: '',
  /** Another user's developer application, with a staff question open. */
  applicationId: '',
  /** The applicant's notification (the question). */
  applicantNotificationId: '',
  /** A staff member's notification (the app's request waits for review). */
  staffNotificationId: '',
  /** An active credential of the app. */
  credentialId: '',
  /** A rotated-out credential of the app, in its grace period. */
  graceCredentialId: '',
  /** A gateway token staff made. */
  gatewayTokenId: '',
  /** A webhook endpoint of the organization, and a test delivery to it. */
  webhookEndpointId: '',
  webhookDeliveryId: '',
};

const USE_CASE =
  'We build an internal dashboard that reads public posts about our products and summarises the sentiment for the support team every morning.';

async function notificationIds(user: SignedInUser): Promise<string[]> {
  const data = await user.client.ok<{
    viewer: { notifications: { nodes: { id: string }[] } };
  }>(`{ viewer { notifications(first: 10) { nodes { id } } } }`);
  return data.viewer.notifications.nodes.map((n) => n.id);
}

/** EC P-256 public keys (JWK) an app may register for private_key_jwt. */
const APP_PUBLIC_KEY = JSON.stringify({
  kty: 'EC',
  crv: 'P-256',
  x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU',
  y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0',
});
const OTHER_PUBLIC_KEY = JSON.stringify({
  kty: 'EC',
  crv: 'P-256',
  x: 'NDBrx8s87dbg4djqMRT6MFcvl5AmVQGvrgdyF5fuRWU',
  y: 'Vxxo4iJgKWET5Cn5kKI9fR25pNHcamqxlkN6mj1fqDk',
});

beforeAll(async () => {
  server = await startTestServer();
  staff = await signUpUser(server, { name: 'Staff', staff: true });
  owner = await signUpUser(server, { name: 'Owner' });
  outsider = await signUpUser(server, { name: 'Outsider' });
  applicant = await signUpUser(server, { name: 'Applicant', approved: false });
  const outsiderOrg = await outsider.client.ok<{
    createOrganization: { organization: { id: string } };
  }>(`mutation { createOrganization(input: { name: "Outsider Inc" }) { organization { id } } }`);
  outsiderOrgId = outsiderOrg.createOrganization.organization.id;
  const org = await owner.client.ok<{ createOrganization: { organization: { id: string } } }>(
    `mutation { createOrganization(input: { name: "Target Org" }) { organization { id } } }`,
  );
  ids.organizationId = org.createOrganization.organization.id;
  const project = await owner.client.ok<{ createProject: { project: { id: string } } }>(
    `mutation ($id: ID!) { createProject(input: { organizationId: $id, name: "Secret project", description: "", useCase: "" }) { project { id } } }`,
    { id: ids.organizationId },
  );
  ids.projectId = project.createProject.project.id;
  const app = await owner.client.ok<{ createApp: { app: { id: string } } }>(
    `mutation ($id: ID!, $p: ID) { createApp(input: { organizationId: $id, projectId: $p, name: "Secret app" }) { app { id } } }`,
    { id: ids.organizationId, p: ids.projectId },
  );
  ids.appId = app.createApp.app.id;
  const credential = await owner.client.ok<{
    createCredential: { credential: { id: string } };
  }>(
    `mutation ($id: ID!) { createCredential(input: { appId: $id, kind: CONSUMER_KEY }) { credential { id } } }`,
    { id: ids.appId },
  );
  ids.graceCredentialId = credential.createCredential.credential.id;
  const rotated = await owner.client.ok<{
    rotateCredential: { credential: { id: string } };
  }>(
    `mutation ($id: ID!) { rotateCredential(input: { credentialId: $id, graceDays: 7 }) { credential { id } } }`,
    { id: ids.graceCredentialId },
  );
  ids.credentialId = rotated.rotateCredential.credential.id;
  const invitation = await owner.client.ok<{ inviteMember: { invitation: { id: string } } }>(
    `mutation ($id: ID!) { inviteMember(input: { organizationId: $id, email: "someone@example.com", role: DEVELOPER }) { invitation { id } } }`,
    { id: ids.organizationId },
  );
  ids.invitationId = invitation.inviteMember.invitation.id;
  const members = await owner.client.ok<{
    organization: { members: { id: string }[] };
  }>(`query ($id: ID!) { organization(id: $id) { members { id } } }`, {
    id: ids.organizationId,
  });
  ids.membershipId = members.organization.members[0]!.id;
  const token = await owner.client.ok<{
    createFineGrainedPersonalAccessToken: { personalAccessToken: { id: string } };
  }>(
    `mutation ($id: ID!) { createFineGrainedPersonalAccessToken(input: { name: "ci", organizationId: $id, permissions: [{ area: APPS, level: READ }], expiresInDays: 30 }) { personalAccessToken { id } } }`,
    { id: ids.organizationId },
  );
  ids.tokenId = token.createFineGrainedPersonalAccessToken.personalAccessToken.id;
  const appKey = await owner.client.ok<{ addAppKey: { appKey: { id: string } } }>(
    `mutation ($id: ID!, $key: String!) { addAppKey(input: { appId: $id, publicKey: $key }) { appKey { id } } }`,
    { id: ids.appId, key: APP_PUBLIC_KEY },
  );
  ids.appKeyId = appKey.addAppKey.appKey.id;
  const em = server.orm.em.fork();
  const authorization = new OAuthAuthorization({
    user: em.getReference(User, owner.id, { wrapped: true }),
    app: em.getReference(App, ids.appId, { wrapped: true }),
    organization: em.getReference(Organization, ids.organizationId, { wrapped: true }),
    clientId: 'poi_crossorg',
    grantId: 'grant-crossorg',
    scopes: ['read'],
  });
  await em.persist(authorization).flush();
  ids.authorizationId = authorization.id;

  // Products (made by staff through the API), a pending request and a dev environment.
  ids.productId = (await createProduct(staff.client, { approvalMode: 'MANUAL' })).id;
  ids.otherProductId = (await createProduct(staff.client, { approvalMode: 'AUTO' })).id;
  const plans = await owner.client.ok<{ plans: { id: string; rank: number }[] }>(
    `{ plans { id rank } }`,
  );
  ids.planId = plans.plans.reduce((top, plan) => (plan.rank > top.rank ? plan : top)).id;
  const requested = await owner.client.ok<{ requestProducts: { grants: { id: string }[] } }>(
    `mutation ($appId: ID!, $p: ID!) { requestProducts(input: { appId: $appId, productIds: [$p] }) { grants { id } } }`,
    { appId: ids.appId, p: ids.productId },
  );
  ids.grantId = requested.requestProducts.grants[0]!.id;
  const environment = await owner.client.ok<{
    createDevEnvironment: { devEnvironment: { id: string } };
  }>(
    `mutation ($org: ID!, $p: ID!, $app: ID) { createDevEnvironment(input: { organizationId: $org, productId: $p, label: "staging", appId: $app }) { devEnvironment { id } } }`,
    { org: ids.organizationId, p: ids.productId, app: ids.appId },
  );
  ids.devEnvironmentId = environment.createDevEnvironment.devEnvironment.id;
  [ids.staffNotificationId] = (await notificationIds(staff)) as [string];

  // Another user's developer application, with a question open (and its notification).
  const applied = await applicant.client.ok<{
    applyForDeveloperAccount: { application: { id: string } };
  }>(
    `mutation ($u: String!) { applyForDeveloperAccount(input: { useCase: $u }) { application { id } } }`,
    { u: USE_CASE },
  );
  ids.applicationId = applied.applyForDeveloperAccount.application.id;
  await staff.client.ok(
    `mutation ($id: ID!) { askApplicationQuestion(input: { applicationId: $id, body: "Which products?" }) { application { id } } }`,
    { id: ids.applicationId },
  );
  [ids.applicantNotificationId] = (await notificationIds(applicant)) as [string];
  const gatewayToken = await staff.client.ok<{
    createGatewayToken: { gatewayToken: { id: string } };
  }>(`mutation { createGatewayToken(input: { name: "edge" }) { gatewayToken { id } } }`);
  ids.gatewayTokenId = gatewayToken.createGatewayToken.gatewayToken.id;
  const endpoint = await owner.client.ok<{
    createWebhookEndpoint: { endpoint: { id: string } };
  }>(
    `mutation ($id: ID!) { createWebhookEndpoint(input: { organizationId: $id, url: "http://127.0.0.1:9/hooks", eventTypes: [APP_DELETED] }) { endpoint { id } } }`,
    { id: ids.organizationId },
  );
  ids.webhookEndpointId = endpoint.createWebhookEndpoint.endpoint.id;
  const test = await owner.client.ok<{ sendTestWebhook: { delivery: { id: string } } }>(
    `mutation ($id: ID!) { sendTestWebhook(input: { endpointId: $id }) { delivery { id } } }`,
    { id: ids.webhookEndpointId },
  );
  ids.webhookDeliveryId = test.sendTestWebhook.delivery.id;
  expect(ids.staffNotificationId).toMatch(/^ntf_/);
  expect(ids.applicantNotificationId).toMatch(/^ntf_/);
});

afterAll(async () => {
  await server.close();
});

type Case = { operation: string; variables: () => Record<string, unknown> };

/**
 * Operations that take the id of an organization's object, another user's object, or a secret
 * token. A name may carry a variant after a space (`Mutation.createApp (into their project)`).
 */
const CASES: Record<string, Case> = {
  'Query.node': {
    operation: `query ($id: ID!) { node(id: $id) { id } }`,
    variables: () => ({ id: ids.appId }),
  },
  'Query.node (grant)': {
    operation: `query ($id: ID!) { node(id: $id) { id } }`,
    variables: () => ({ id: ids.grantId }),
  },
  'Query.node (dev environment)': {
    operation: `query ($id: ID!) { node(id: $id) { id } }`,
    variables: () => ({ id: ids.devEnvironmentId }),
  },
  'Query.node (notification)': {
    operation: `query ($id: ID!) { node(id: $id) { id } }`,
    variables: () => ({ id: ids.applicantNotificationId }),
  },
  'Query.node (application)': {
    operation: `query ($id: ID!) { node(id: $id) { id } }`,
    variables: () => ({ id: ids.applicationId }),
  },
  'Query.organization': {
    operation: `query ($id: ID!) { organization(id: $id) { id name } }`,
    variables: () => ({ id: ids.organizationId }),
  },
  'Query.usage': {
    operation: `query ($id: ID!) { usage(of: $id, period: CURRENT_MONTH) { totals { requests } } }`,
    variables: () => ({ id: ids.organizationId }),
  },
  'Query.project': {
    operation: `query ($id: ID!) { project(id: $id) { id name } }`,
    variables: () => ({ id: ids.projectId }),
  },
  'Query.app': {
    operation: `query ($id: ID!) { app(id: $id) { id name } }`,
    variables: () => ({ id: ids.appId }),
  },
  'Query.auditLog': {
    operation: `query ($id: ID!) { auditLog(organizationId: $id) { totalCount } }`,
    variables: () => ({ id: ids.organizationId }),
  },
  'Mutation.updateOrganization': {
    operation: `mutation ($id: ID!) { updateOrganization(input: { organizationId: $id, name: "Hijacked" }) { organization { id } } }`,
    variables: () => ({ id: ids.organizationId }),
  },
  'Mutation.inviteMember': {
    operation: `mutation ($id: ID!) { inviteMember(input: { organizationId: $id, email: "intruder@example.com", role: ADMIN }) { invitation { id } } }`,
    variables: () => ({ id: ids.organizationId }),
  },
  'Mutation.resendInvitation': {
    operation: `mutation ($id: ID!) { resendInvitation(input: { invitationId: $id }) { invitation { id } } }`,
    variables: () => ({ id: ids.invitationId }),
  },
  'Mutation.revokeInvitation': {
    operation: `mutation ($id: ID!) { revokeInvitation(input: { invitationId: $id }) { invitation { id } } }`,
    variables: () => ({ id: ids.invitationId }),
  },
  'Mutation.changeMemberRole': {
    operation: `mutation ($id: ID!) { changeMemberRole(input: { membershipId: $id, role: DEVELOPER }) { membership { id } } }`,
    variables: () => ({ id: ids.membershipId }),
  },
  'Mutation.removeMember': {
    operation: `mutation ($id: ID!) { removeMember(input: { membershipId: $id }) { removedMembershipId } }`,
    variables: () => ({ id: ids.membershipId }),
  },
  'Mutation.leaveOrganization': {
    operation: `mutation ($id: ID!) { leaveOrganization(input: { organizationId: $id }) { organizationId } }`,
    variables: () => ({ id: ids.organizationId }),
  },
  'Mutation.createProject': {
    operation: `mutation ($id: ID!) { createProject(input: { organizationId: $id, name: "Planted", description: "", useCase: "" }) { project { id } } }`,
    variables: () => ({ id: ids.organizationId }),
  },
  'Mutation.updateProject': {
    operation: `mutation ($id: ID!) { updateProject(input: { projectId: $id, name: "Renamed" }) { project { id } } }`,
    variables: () => ({ id: ids.projectId }),
  },
  'Mutation.deleteProject': {
    operation: `mutation ($id: ID!) { deleteProject(input: { projectId: $id }) { deletedProjectId } }`,
    variables: () => ({ id: ids.projectId }),
  },
  'Mutation.createApp': {
    operation: `mutation ($id: ID!) { createApp(input: { organizationId: $id, name: "Planted app" }) { app { id } } }`,
    variables: () => ({ id: ids.organizationId }),
  },
  'Mutation.createApp (into their project)': {
    operation: `mutation ($org: ID!, $p: ID) { createApp(input: { organizationId: $org, projectId: $p, name: "Planted app 2" }) { app { id } } }`,
    variables: () => ({ org: outsiderOrgId, p: ids.projectId }),
  },
  'Mutation.updateApp': {
    operation: `mutation ($id: ID!) { updateApp(input: { appId: $id, name: "Renamed app" }) { app { id } } }`,
    variables: () => ({ id: ids.appId }),
  },
  'Mutation.deleteApp': {
    operation: `mutation ($id: ID!) { deleteApp(input: { appId: $id, reason: "gone" }) { deletedAppId } }`,
    variables: () => ({ id: ids.appId }),
  },
  'Mutation.addAppKey': {
    operation: `mutation ($id: ID!, $key: String!) { addAppKey(input: { appId: $id, publicKey: $key }) { appKey { id } } }`,
    variables: () => ({ id: ids.appId, key: OTHER_PUBLIC_KEY }),
  },
  'Mutation.removeAppKey': {
    operation: `mutation ($id: ID!) { removeAppKey(input: { appKeyId: $id }) { appKey { id } } }`,
    variables: () => ({ id: ids.appKeyId }),
  },
  'Mutation.revokeAuthorizedApp': {
    operation: `mutation ($id: ID!) { revokeAuthorizedApp(input: { authorizationId: $id }) { authorization { id } } }`,
    variables: () => ({ id: ids.authorizationId }),
  },
  'Mutation.revokePersonalAccessToken': {
    operation: `mutation ($id: ID!) { revokePersonalAccessToken(input: { id: $id }) { personalAccessToken { id } } }`,
    variables: () => ({ id: ids.tokenId }),
  },
  'Query.node (personal access token)': {
    operation: `query ($id: ID!) { node(id: $id) { id } }`,
    variables: () => ({ id: ids.tokenId }),
  },
  'Mutation.createFineGrainedPersonalAccessToken': {
    operation: `mutation ($id: ID!) { createFineGrainedPersonalAccessToken(input: { name: "planted", organizationId: $id, permissions: [{ area: APPS, level: WRITE }], expiresInDays: 30 }) { token } }`,
    variables: () => ({ id: ids.organizationId }),
  },
  'Mutation.reviewPersonalAccessToken': {
    operation: `mutation ($id: ID!) { reviewPersonalAccessToken(input: { tokenId: $id, decision: REFUSE }) { personalAccessToken { id } } }`,
    variables: () => ({ id: ids.tokenId }),
  },
  'Mutation.setOrganizationTokenPolicy': {
    operation: `mutation ($id: ID!) { setOrganizationTokenPolicy(input: { organizationId: $id, policy: FORBID }) { organization { id } } }`,
    variables: () => ({ id: ids.organizationId }),
  },
  'Query.node (gateway token)': {
    operation: `query ($id: ID!) { node(id: $id) { id } }`,
    variables: () => ({ id: ids.gatewayTokenId }),
  },
  'Query.node (credential)': {
    operation: `query ($id: ID!) { node(id: $id) { id } }`,
    variables: () => ({ id: ids.credentialId }),
  },
  'Mutation.createSandboxToken': {
    operation: `mutation ($id: ID!, $p: ID!) { createSandboxToken(input: { appId: $id, productId: $p }) { token } }`,
    variables: () => ({ id: ids.appId, p: ids.productId }),
  },
  'Mutation.createCredential': {
    operation: `mutation ($id: ID!) { createCredential(input: { appId: $id, kind: BEARER_TOKEN }) { secret } }`,
    variables: () => ({ id: ids.appId }),
  },
  'Mutation.regenerateCredential': {
    operation: `mutation ($id: ID!) { regenerateCredential(input: { credentialId: $id }) { secret } }`,
    variables: () => ({ id: ids.credentialId }),
  },
  'Mutation.revokeCredential': {
    operation: `mutation ($id: ID!) { revokeCredential(input: { credentialId: $id }) { credential { id } } }`,
    variables: () => ({ id: ids.credentialId }),
  },
  'Mutation.rotateCredential': {
    operation: `mutation ($id: ID!) { rotateCredential(input: { credentialId: $id, graceDays: 0 }) { secret } }`,
    variables: () => ({ id: ids.credentialId }),
  },
  'Mutation.endCredentialGrace': {
    operation: `mutation ($id: ID!) { endCredentialGrace(input: { credentialId: $id }) { credential { id } } }`,
    variables: () => ({ id: ids.graceCredentialId }),
  },
  'Mutation.requestProducts': {
    operation: `mutation ($app: ID!, $p: ID!) { requestProducts(input: { appId: $app, productIds: [$p] }) { grants { id } } }`,
    variables: () => ({ app: ids.appId, p: ids.otherProductId }),
  },
  'Mutation.withdrawGrantRequest': {
    operation: `mutation ($id: ID!) { withdrawGrantRequest(input: { grantId: $id }) { grant { id } } }`,
    variables: () => ({ id: ids.grantId }),
  },
  'Mutation.markNotificationsRead': {
    operation: `mutation ($ids: [ID!]) { markNotificationsRead(input: { ids: $ids }) { markedCount } }`,
    variables: () => ({ ids: [ids.applicantNotificationId] }),
  },
  "Mutation.markNotificationsRead (staff's)": {
    operation: `mutation ($ids: [ID!]) { markNotificationsRead(input: { ids: $ids }) { markedCount } }`,
    variables: () => ({ ids: [ids.staffNotificationId] }),
  },
  'Mutation.changePlan': {
    operation: `mutation ($org: ID!, $p: ID!, $plan: ID!) { changePlan(input: { organizationId: $org, productId: $p, planId: $plan }) { planSubscription { id } } }`,
    variables: () => ({ org: ids.organizationId, p: ids.productId, plan: ids.planId }),
  },
  'Mutation.createDevEnvironment': {
    operation: `mutation ($org: ID!, $p: ID!) { createDevEnvironment(input: { organizationId: $org, productId: $p, label: "planted" }) { devEnvironment { id } } }`,
    variables: () => ({ org: ids.organizationId, p: ids.productId }),
  },
  'Mutation.createDevEnvironment (with their app)': {
    operation: `mutation ($org: ID!, $p: ID!, $app: ID) { createDevEnvironment(input: { organizationId: $org, productId: $p, label: "borrowed", appId: $app }) { devEnvironment { id } } }`,
    variables: () => ({ org: outsiderOrgId, p: ids.productId, app: ids.appId }),
  },
  'Mutation.updateDevEnvironment': {
    operation: `mutation ($id: ID!) { updateDevEnvironment(input: { devEnvironmentId: $id, label: "hijacked", appId: null }) { devEnvironment { id } } }`,
    variables: () => ({ id: ids.devEnvironmentId }),
  },
  'Mutation.deleteDevEnvironment': {
    operation: `mutation ($id: ID!) { deleteDevEnvironment(input: { devEnvironmentId: $id }) { deletedDevEnvironmentId } }`,
    variables: () => ({ id: ids.devEnvironmentId }),
  },
  'Mutation.answerApplicationQuestion': {
    operation: `mutation ($id: ID!) { answerApplicationQuestion(input: { applicationId: $id, body: "Every product, please." }) { application { id } } }`,
    variables: () => ({ id: ids.applicationId }),
  },
  'Query.webhookEndpoints': {
    operation: `query ($id: ID!) { webhookEndpoints(organizationId: $id) { id } }`,
    variables: () => ({ id: ids.organizationId }),
  },
  'Query.node (webhook endpoint)': {
    operation: `query ($id: ID!) { node(id: $id) { id } }`,
    variables: () => ({ id: ids.webhookEndpointId }),
  },
  'Query.node (webhook delivery)': {
    operation: `query ($id: ID!) { node(id: $id) { id } }`,
    variables: () => ({ id: ids.webhookDeliveryId }),
  },
  'Mutation.createWebhookEndpoint': {
    operation: `mutation ($id: ID!) { createWebhookEndpoint(input: { organizationId: $id, url: "http://127.0.0.1:9/planted", eventTypes: [APP_DELETED] }) { endpoint { id } } }`,
    variables: () => ({ id: ids.organizationId }),
  },
  'Mutation.updateWebhookEndpoint': {
    operation: `mutation ($id: ID!) { updateWebhookEndpoint(input: { endpointId: $id, url: "http://127.0.0.1:9/hijacked" }) { endpoint { id } } }`,
    variables: () => ({ id: ids.webhookEndpointId }),
  },
  'Mutation.disableWebhookEndpoint': {
    operation: `mutation ($id: ID!) { disableWebhookEndpoint(input: { endpointId: $id }) { endpoint { id } } }`,
    variables: () => ({ id: ids.webhookEndpointId }),
  },
  'Mutation.enableWebhookEndpoint': {
    operation: `mutation ($id: ID!) { enableWebhookEndpoint(input: { endpointId: $id }) { endpoint { id } } }`,
    variables: () => ({ id: ids.webhookEndpointId }),
  },
  'Mutation.deleteWebhookEndpoint': {
    operation: `mutation ($id: ID!) { deleteWebhookEndpoint(input: { endpointId: $id }) { deletedEndpointId } }`,
    variables: () => ({ id: ids.webhookEndpointId }),
  },
  'Mutation.rotateWebhookSecret': {
    operation: `mutation ($id: ID!) { rotateWebhookSecret(input: { endpointId: $id }) { secret } }`,
    variables: () => ({ id: ids.webhookEndpointId }),
  },
  'Mutation.sendTestWebhook': {
    operation: `mutation ($id: ID!) { sendTestWebhook(input: { endpointId: $id }) { delivery { id } } }`,
    variables: () => ({ id: ids.webhookEndpointId }),
  },
  'Mutation.replayWebhookDelivery': {
    operation: `mutation ($id: ID!) { replayWebhookDelivery(input: { deliveryId: $id }) { delivery { id } } }`,
    variables: () => ({ id: ids.webhookDeliveryId }),
  },
};

/** Subscriptions that take the id of an organization's object. */
const SUBSCRIPTION_CASES: Record<string, Case> = {
  'Subscription.organizationEvents': {
    operation: `subscription ($id: ID!) { organizationEvents(organizationId: $id) { id kind } }`,
    variables: () => ({ id: ids.organizationId }),
  },
};

/**
 * Operations that take an id but only portal staff may call at all (their rule is checked to
 * be STAFF below, so a rule loosened later makes this test fail instead of skipping them).
 */
const STAFF_ONLY = new Set([
  'Query.reviewQueue',
  'Mutation.updateProduct',
  'Mutation.archiveProduct',
  'Mutation.updatePlan',
  'Mutation.decideGrants',
  'Mutation.revokeGrant',
  'Mutation.updateReasonTemplate',
  'Mutation.deleteReasonTemplate',
  'Mutation.askApplicationQuestion',
  'Mutation.decideApplication',
  'Mutation.revokeGatewayToken',
  'Mutation.rotateOAuthSigningKey',
  'Mutation.suspendApp',
  'Mutation.unsuspendApp',
  'Subscription.reviewQueueEvents',
  'Query.staffApps',
  'Query.staffApp',
  'Query.staffOrganizations',
  'Query.staffOrganization',
  'Query.staffAuditLog',
  'Query.staffHighUsageApps',
  'Query.bulkRun',
  'Mutation.planBulkRun',
  'Mutation.startBulkRun',
  'Mutation.setOrganizationVerified',
  'Subscription.staffEvents',
  'Query.deprecationImpact',
  'Mutation.updateProductCatalogue',
  'Mutation.saveProductDocument',
  'Mutation.publishProductDocument',
  'Mutation.deleteProductDocument',
  'Mutation.createChangelogEntry',
  'Mutation.updateChangelogEntry',
  'Mutation.publishChangelogEntry',
  'Mutation.sendDeprecationNotice',
  'Mutation.answerLabsFeedback',
  'Mutation.closeLabsFeedback',
]);

/**
 * Operations that take an id but are not about another organization's or user's objects:
 * `acceptInvitation`/`declineInvitation`/`verifyEmail`/`resetPassword`/`invitationByToken`
 * take secret tokens from mail (covered in their modules' tests); `product` reads the catalogue
 * every signed-in user sees (archived products are for staff: products tests); `viewerEvents`
 * only ever streams the viewer's own events (its id is a replay cursor: events tests); the
 * catalogue's search and Labs feedback read the catalogue every signed-in user sees, and
 * feedback lists only the caller's own (catalogue tests).
 */
const NOT_ORG_SCOPED = new Set([
  'Query.invitationByToken',
  'Mutation.acceptInvitation',
  'Mutation.declineInvitation',
  'Mutation.verifyEmail',
  'Mutation.resetPassword',
  'Query.mailOutbox',
  'Query.product',
  'Subscription.viewerEvents',
  'Query.searchCatalogue',
  'Query.labsFeedback',
  'Mutation.sendLabsFeedback',
]);

function takesId(type: GraphQLInputType, seen = new Set<string>()): boolean {
  const named = getNamedType(type);
  if (named.name === 'ID') return true;
  if (!isInputObjectType(named) || seen.has(named.name)) return false;
  seen.add(named.name);
  return Object.values(named.getFields()).some((field) => takesId(field.type, seen));
}

describe('another organization', () => {
  it('covers every operation that takes an id', () => {
    const schema = server.app.schema;
    const covered = new Set(
      [...Object.keys(CASES), ...Object.keys(SUBSCRIPTION_CASES)].map((name) => name.split(' ')[0]),
    );
    const missing: string[] = [];
    for (const root of [
      schema.getQueryType(),
      schema.getMutationType(),
      schema.getSubscriptionType(),
    ]) {
      if (!root || !isObjectType(root)) continue;
      for (const field of Object.values(root.getFields())) {
        const name = `${root.name}.${field.name}`;
        const hasId = field.args.some((arg: GraphQLArgument) => takesId(arg.type));
        if (hasId && !covered.has(name) && !STAFF_ONLY.has(name) && !NOT_ORG_SCOPED.has(name)) {
          missing.push(name);
        }
      }
    }
    expect(missing, 'add these operations to CASES, or to STAFF_ONLY if staff-only').toEqual([]);
  });

  it('lists as staff-only only operations whose rule is STAFF', () => {
    const rules = listAccessRules(server.app.schema);
    const notStaff = [...STAFF_ONLY].filter((name) => rules.get(name) !== 'STAFF');
    expect(notStaff, 'not STAFF by rule (or no longer exist): give them CASES').toEqual([]);
  });

  it.each(Object.entries(CASES))('refuses %s', async (_name, testCase) => {
    const result = await outsider.client.execute<Record<string, unknown>>(
      testCase.operation,
      testCase.variables(),
    );
    const value = result.data ? Object.values(result.data)[0] : null;
    if (result.errors?.length) {
      expect(['NOT_FOUND', 'FORBIDDEN']).toContain(result.errors[0]?.extensions?.code);
    } else {
      // Queries answer null for what the caller may not see.
      expect(value).toBeNull();
    }
  });

  it.each(Object.entries(SUBSCRIPTION_CASES))('refuses %s', async (_name, testCase) => {
    const live = await subscribe(server, outsider.client, testCase.operation, testCase.variables());
    try {
      const errors = await live.failure();
      expect(['NOT_FOUND', 'FORBIDDEN']).toContain(errors[0]?.extensions?.code);
    } finally {
      await live.close();
    }
  });

  it('changed nothing in the organization', async () => {
    const data = await owner.client.ok<{
      organization: {
        name: string;
        members: { id: string; role: string }[];
        projects: { name: string; apps: { name: string }[] }[];
        invitations: { status: string }[];
        apps: {
          id: string;
          name: string;
          status: string;
          grants: { id: string; status: string; product: { id: string } }[];
        }[];
        planSubscriptions: { plan: { id: string } }[];
        devEnvironments: { id: string; label: string; app: { id: string } | null }[];
      };
    }>(
      `query ($id: ID!) { organization(id: $id) {
        name members { id role } projects { name apps { name } } invitations { status }
        apps { id name status grants { id status product { id } } }
        planSubscriptions { plan { id } }
        devEnvironments { id label app { id } }
      } }`,
      { id: ids.organizationId },
    );
    expect(data.organization).toEqual({
      name: 'Target Org',
      members: [{ id: ids.membershipId, role: 'ADMIN' }],
      projects: [{ name: 'Secret project', apps: [{ name: 'Secret app' }] }],
      invitations: [{ status: 'PENDING' }],
      apps: [
        {
          id: ids.appId,
          name: 'Secret app',
          status: 'ACTIVE',
          grants: [{ id: ids.grantId, status: 'PENDING', product: { id: ids.productId } }],
        },
      ],
      planSubscriptions: [],
      devEnvironments: [{ id: ids.devEnvironmentId, label: 'staging', app: { id: ids.appId } }],
    });
    const tokens = await owner.client.ok<{
      viewer: { personalAccessTokens: { revokedAt: string | null; status: string }[] };
    }>(`{ viewer { personalAccessTokens { revokedAt status } } }`);
    expect(tokens.viewer.personalAccessTokens).toEqual([{ revokedAt: null, status: 'ACTIVE' }]);
    const policy = await owner.client.ok<{
      organization: { tokenPolicy: string; personalAccessTokens: { id: string }[] };
    }>(`query ($id: ID!) { organization(id: $id) { tokenPolicy personalAccessTokens { id } } }`, {
      id: ids.organizationId,
    });
    expect(policy.organization).toEqual({
      tokenPolicy: 'ALLOW',
      personalAccessTokens: [{ id: ids.tokenId }],
    });
    const credentials = await owner.client.ok<{
      app: { credentials: { id: string; status: string }[] };
    }>(`query ($id: ID!) { app(id: $id) { credentials { id status } } }`, { id: ids.appId });
    expect(credentials.app.credentials).toEqual([
      { id: ids.credentialId, status: 'ACTIVE' },
      { id: ids.graceCredentialId, status: 'IN_GRACE' },
    ]);
    const outsiderOrg = await outsider.client.ok<{
      organization: { apps: unknown[]; devEnvironments: unknown[] };
    }>(`query ($id: ID!) { organization(id: $id) { apps { id } devEnvironments { id } } }`, {
      id: outsiderOrgId,
    });
    expect(outsiderOrg.organization).toEqual({ apps: [], devEnvironments: [] });
  });

  it("changed nothing of the other users' application and notifications", async () => {
    const asApplicant = await applicant.client.ok<{
      viewer: {
        unreadNotificationCount: number;
        developerApplication: { status: string; messages: { fromStaff: boolean }[] };
      };
    }>(
      `{ viewer { unreadNotificationCount developerApplication { status messages { fromStaff } } } }`,
    );
    expect(asApplicant.viewer).toEqual({
      unreadNotificationCount: 1,
      developerApplication: { status: 'QUESTION', messages: [{ fromStaff: true }] },
    });
    const asStaff = await staff.client.ok<{
      viewer: { notifications: { nodes: { id: string; readAt: string | null }[] } };
    }>(`{ viewer { notifications(first: 10) { nodes { id readAt } } } }`);
    expect(asStaff.viewer.notifications.nodes).toContainEqual({
      id: ids.staffNotificationId,
      readAt: null,
    });
  });
});
