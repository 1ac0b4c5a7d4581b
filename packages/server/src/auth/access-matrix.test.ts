import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../test/harness.js';
import { ROLES, setUpTenant, type Role, type Tenant } from '../../test/operation-cases.js';
import { listAccessRules } from './access.js';

/**
 * The authorization matrix: every root query, mutation and subscription of the built schema,
 * run as each kind of caller against one organization (a project, apps, credentials, grants,
 * an invitation, a dev environment …), with the outcome each must get written in EXPECTED.
 * An operation in the schema without a row, or a row for an operation that no longer exists,
 * fails the test. Operations that use up or change what they act on get a fresh object per
 * caller, so every caller meets the same tenant.
 */

/**
 * What each caller gets. `ok`: it runs and answers; `null`: it answers null (what the caller
 * may not see does not exist for them); otherwise the error's `extensions.code`.
 *
 * - anonymous: not signed in;
 * - outsider: admin of another organization;
 * - developer: DEVELOPER member of the organization (the apps are the admin's);
 * - admin: ADMIN of the organization, owner of its apps;
 * - staff: portal staff, not a member of the organization: they read every organization and
 *   decide on apps and grants, but change nothing of an organization they are not in (its
 *   mutations answer NOT_FOUND, an app's FORBIDDEN).
 *
 * `Mutation.markNotificationsRead` is given another user's notification; `acceptInvitation` and
 * `declineInvitation` an invitation to another address; the token operations (`verifyEmail`,
 * `resetPassword`, `invitationByToken`) valid tokens, which anyone holding them may use.
 */
const EXPECTED = `
  operation                                      anonymous        outsider         developer        admin            staff
  Query.app                                      UNAUTHENTICATED  NOT_FOUND        ok               ok               ok
  Query.auditLog                                 UNAUTHENTICATED  NOT_FOUND        FORBIDDEN        ok               ok
  Query.authorizedApps                           UNAUTHENTICATED  ok               ok               ok               ok
  Query.bulkRun                                  UNAUTHENTICATED  FORBIDDEN        FORBIDDEN        FORBIDDEN        ok
  Query.bulkRuns                                 UNAUTHENTICATED  FORBIDDEN        FORBIDDEN        FORBIDDEN        ok
  Query.catalogue                                ok               ok               ok               ok               ok
  Query.catalogueProduct                         NOT_FOUND        ok               ok               ok               ok
  Query.deprecationImpact                        UNAUTHENTICATED  FORBIDDEN        FORBIDDEN        FORBIDDEN        ok
  Query.developerApplications                    UNAUTHENTICATED  FORBIDDEN        FORBIDDEN        FORBIDDEN        ok
  Query.gatewayTokens                            UNAUTHENTICATED  FORBIDDEN        FORBIDDEN        FORBIDDEN        ok
  Query.invitationByToken                        ok               ok               ok               ok               ok
  Query.labsFeedback                             UNAUTHENTICATED  ok               ok               ok               ok
  Query.labsProducts                             UNAUTHENTICATED  ok               ok               ok               ok
  Query.mailOutbox                               UNAUTHENTICATED  FORBIDDEN        FORBIDDEN        FORBIDDEN        ok
  Query.node                                     UNAUTHENTICATED  null             ok               ok               ok
  Query.organization                             UNAUTHENTICATED  NOT_FOUND        ok               ok               ok
  Query.plans                                    UNAUTHENTICATED  ok               ok               ok               ok
  Query.product                                  UNAUTHENTICATED  ok               ok               ok               ok
  Query.products                                 UNAUTHENTICATED  ok               ok               ok               ok
  Query.project                                  UNAUTHENTICATED  NOT_FOUND        ok               ok               ok
  Query.rateLimit                                ok               ok               ok               ok               ok
  Query.reasonTemplates                          UNAUTHENTICATED  FORBIDDEN        FORBIDDEN        FORBIDDEN        ok
  Query.reviewQueue                              UNAUTHENTICATED  FORBIDDEN        FORBIDDEN        FORBIDDEN        ok
  Query.searchCatalogue                          ok               ok               ok               ok               ok
  Query.staffApp                                 UNAUTHENTICATED  FORBIDDEN        FORBIDDEN        FORBIDDEN        ok
  Query.staffApps                                UNAUTHENTICATED  FORBIDDEN        FORBIDDEN        FORBIDDEN        ok
  Query.staffAuditLog                            UNAUTHENTICATED  FORBIDDEN        FORBIDDEN        FORBIDDEN        ok
  Query.staffHighUsageApps                       UNAUTHENTICATED  FORBIDDEN        FORBIDDEN        FORBIDDEN        ok
  Query.staffInventorySummary                    UNAUTHENTICATED  FORBIDDEN        FORBIDDEN        FORBIDDEN        ok
  Query.staffOrganization                        UNAUTHENTICATED  FORBIDDEN        FORBIDDEN        FORBIDDEN        ok
  Query.staffOrganizations                       UNAUTHENTICATED  FORBIDDEN        FORBIDDEN        FORBIDDEN        ok
  Query.staffPendingQueue                        UNAUTHENTICATED  FORBIDDEN        FORBIDDEN        FORBIDDEN        ok
  Query.usage                                    UNAUTHENTICATED  NOT_FOUND        ok               ok               ok
  Query.viewer                                   null             ok               ok               ok               ok
  Query.webhookEndpoints                         UNAUTHENTICATED  NOT_FOUND        FORBIDDEN        ok               NOT_FOUND
  Mutation.acceptInvitation                      UNAUTHENTICATED  FORBIDDEN        FORBIDDEN        FORBIDDEN        FORBIDDEN
  Mutation.addAppKey                             UNAUTHENTICATED  NOT_FOUND        FORBIDDEN        ok               FORBIDDEN
  Mutation.answerApplicationQuestion             UNAUTHENTICATED  NOT_FOUND        NOT_FOUND        NOT_FOUND        FORBIDDEN
  Mutation.answerLabsFeedback                    UNAUTHENTICATED  FORBIDDEN        FORBIDDEN        FORBIDDEN        ok
  Mutation.applyForDeveloperAccount              UNAUTHENTICATED  CONFLICT         CONFLICT         CONFLICT         FORBIDDEN
  Mutation.archiveProduct                        UNAUTHENTICATED  FORBIDDEN        FORBIDDEN        FORBIDDEN        ok
  Mutation.askApplicationQuestion                UNAUTHENTICATED  FORBIDDEN        FORBIDDEN        FORBIDDEN        ok
  Mutation.changeMemberRole                      UNAUTHENTICATED  NOT_FOUND        FORBIDDEN        ok               NOT_FOUND
  Mutation.changePassword                        UNAUTHENTICATED  ok               ok               ok               ok
  Mutation.changePlan                            UNAUTHENTICATED  NOT_FOUND        FORBIDDEN        ok               NOT_FOUND
  Mutation.closeLabsFeedback                     UNAUTHENTICATED  FORBIDDEN        FORBIDDEN        FORBIDDEN        ok
  Mutation.createApp                             UNAUTHENTICATED  NOT_FOUND        ok               ok               NOT_FOUND
  Mutation.createChangelogEntry                  UNAUTHENTICATED  FORBIDDEN        FORBIDDEN        FORBIDDEN        ok
  Mutation.createCredential                      UNAUTHENTICATED  NOT_FOUND        FORBIDDEN        ok               FORBIDDEN
  Mutation.createDevEnvironment                  UNAUTHENTICATED  NOT_FOUND        FORBIDDEN        ok               NOT_FOUND
  Mutation.createFineGrainedPersonalAccessToken  UNAUTHENTICATED  NOT_FOUND        ok               ok               NOT_FOUND
  Mutation.createGatewayToken                    UNAUTHENTICATED  FORBIDDEN        FORBIDDEN        FORBIDDEN        ok
  Mutation.createOrganization                    UNAUTHENTICATED  ok               ok               ok               ok
  Mutation.createPersonalAccessToken             UNAUTHENTICATED  FORBIDDEN        FORBIDDEN        FORBIDDEN        FORBIDDEN
  Mutation.createPlan                            UNAUTHENTICATED  FORBIDDEN        FORBIDDEN        FORBIDDEN        ok
  Mutation.createProduct                         UNAUTHENTICATED  FORBIDDEN        FORBIDDEN        FORBIDDEN        ok
  Mutation.createProject                         UNAUTHENTICATED  NOT_FOUND        FORBIDDEN        ok               NOT_FOUND
  Mutation.createReasonTemplate                  UNAUTHENTICATED  FORBIDDEN        FORBIDDEN        FORBIDDEN        ok
  Mutation.createSandboxToken                    UNAUTHENTICATED  NOT_FOUND        FORBIDDEN        CONFLICT         FORBIDDEN
  Mutation.createWebhookEndpoint                 UNAUTHENTICATED  NOT_FOUND        FORBIDDEN        ok               NOT_FOUND
  Mutation.decideApplication                     UNAUTHENTICATED  FORBIDDEN        FORBIDDEN        FORBIDDEN        ok
  Mutation.decideGrants                          UNAUTHENTICATED  FORBIDDEN        FORBIDDEN        FORBIDDEN        ok
  Mutation.declineInvitation                     UNAUTHENTICATED  FORBIDDEN        FORBIDDEN        FORBIDDEN        FORBIDDEN
  Mutation.deleteApp                             UNAUTHENTICATED  NOT_FOUND        FORBIDDEN        ok               FORBIDDEN
  Mutation.deleteDevEnvironment                  UNAUTHENTICATED  NOT_FOUND        FORBIDDEN        ok               NOT_FOUND
  Mutation.deleteProductDocument                 UNAUTHENTICATED  FORBIDDEN        FORBIDDEN        FORBIDDEN        ok
  Mutation.deleteProject                         UNAUTHENTICATED  NOT_FOUND        FORBIDDEN        ok               NOT_FOUND
  Mutation.deleteReasonTemplate                  UNAUTHENTICATED  FORBIDDEN        FORBIDDEN        FORBIDDEN        ok
  Mutation.deleteWebhookEndpoint                 UNAUTHENTICATED  NOT_FOUND        FORBIDDEN        ok               NOT_FOUND
  Mutation.disableWebhookEndpoint                UNAUTHENTICATED  NOT_FOUND        FORBIDDEN        ok               NOT_FOUND
  Mutation.enableWebhookEndpoint                 UNAUTHENTICATED  NOT_FOUND        FORBIDDEN        ok               NOT_FOUND
  Mutation.endCredentialGrace                    UNAUTHENTICATED  NOT_FOUND        FORBIDDEN        ok               FORBIDDEN
  Mutation.inviteMember                          UNAUTHENTICATED  NOT_FOUND        FORBIDDEN        ok               NOT_FOUND
  Mutation.leaveOrganization                     UNAUTHENTICATED  NOT_FOUND        ok               ok               NOT_FOUND
  Mutation.markNotificationsRead                 UNAUTHENTICATED  NOT_FOUND        NOT_FOUND        NOT_FOUND        NOT_FOUND
  Mutation.planBulkRun                           UNAUTHENTICATED  FORBIDDEN        FORBIDDEN        FORBIDDEN        ok
  Mutation.publishChangelogEntry                 UNAUTHENTICATED  FORBIDDEN        FORBIDDEN        FORBIDDEN        ok
  Mutation.publishProductDocument                UNAUTHENTICATED  FORBIDDEN        FORBIDDEN        FORBIDDEN        ok
  Mutation.regenerateCredential                  UNAUTHENTICATED  NOT_FOUND        FORBIDDEN        ok               FORBIDDEN
  Mutation.removeAppKey                          UNAUTHENTICATED  NOT_FOUND        FORBIDDEN        ok               FORBIDDEN
  Mutation.removeMember                          UNAUTHENTICATED  NOT_FOUND        FORBIDDEN        ok               NOT_FOUND
  Mutation.replayWebhookDelivery                 UNAUTHENTICATED  NOT_FOUND        FORBIDDEN        ok               NOT_FOUND
  Mutation.requestPasswordReset                  ok               ok               ok               ok               ok
  Mutation.requestProducts                       UNAUTHENTICATED  NOT_FOUND        FORBIDDEN        ok               FORBIDDEN
  Mutation.resendInvitation                      UNAUTHENTICATED  NOT_FOUND        FORBIDDEN        ok               NOT_FOUND
  Mutation.resendVerificationEmail               UNAUTHENTICATED  ok               ok               ok               ok
  Mutation.resetPassword                         ok               ok               ok               ok               ok
  Mutation.reviewPersonalAccessToken             UNAUTHENTICATED  NOT_FOUND        FORBIDDEN        ok               NOT_FOUND
  Mutation.revokeAuthorizedApp                   UNAUTHENTICATED  NOT_FOUND        NOT_FOUND        ok               NOT_FOUND
  Mutation.revokeCredential                      UNAUTHENTICATED  NOT_FOUND        FORBIDDEN        ok               FORBIDDEN
  Mutation.revokeGatewayToken                    UNAUTHENTICATED  FORBIDDEN        FORBIDDEN        FORBIDDEN        ok
  Mutation.revokeGrant                           UNAUTHENTICATED  FORBIDDEN        FORBIDDEN        FORBIDDEN        ok
  Mutation.revokeInvitation                      UNAUTHENTICATED  NOT_FOUND        FORBIDDEN        ok               NOT_FOUND
  Mutation.revokePersonalAccessToken             UNAUTHENTICATED  NOT_FOUND        NOT_FOUND        ok               NOT_FOUND
  Mutation.rotateCredential                      UNAUTHENTICATED  NOT_FOUND        FORBIDDEN        ok               FORBIDDEN
  Mutation.rotateOAuthSigningKey                 UNAUTHENTICATED  FORBIDDEN        FORBIDDEN        FORBIDDEN        ok
  Mutation.rotateWebhookSecret                   UNAUTHENTICATED  NOT_FOUND        FORBIDDEN        ok               NOT_FOUND
  Mutation.saveProductDocument                   UNAUTHENTICATED  FORBIDDEN        FORBIDDEN        FORBIDDEN        ok
  Mutation.sendDeprecationNotice                 UNAUTHENTICATED  FORBIDDEN        FORBIDDEN        FORBIDDEN        ok
  Mutation.sendLabsFeedback                      UNAUTHENTICATED  CONFLICT         CONFLICT         CONFLICT         CONFLICT
  Mutation.sendTestWebhook                       UNAUTHENTICATED  NOT_FOUND        FORBIDDEN        ok               NOT_FOUND
  Mutation.setOrganizationTokenPolicy            UNAUTHENTICATED  NOT_FOUND        FORBIDDEN        ok               NOT_FOUND
  Mutation.setOrganizationVerified               UNAUTHENTICATED  FORBIDDEN        FORBIDDEN        FORBIDDEN        ok
  Mutation.signIn                                ok               ok               ok               ok               ok
  Mutation.signOut                               ok               ok               ok               ok               ok
  Mutation.signUp                                ok               ok               ok               ok               ok
  Mutation.startBulkRun                          UNAUTHENTICATED  FORBIDDEN        FORBIDDEN        FORBIDDEN        ok
  Mutation.suspendApp                            UNAUTHENTICATED  FORBIDDEN        FORBIDDEN        FORBIDDEN        ok
  Mutation.unsuspendApp                          UNAUTHENTICATED  FORBIDDEN        FORBIDDEN        FORBIDDEN        ok
  Mutation.updateApp                             UNAUTHENTICATED  NOT_FOUND        FORBIDDEN        ok               FORBIDDEN
  Mutation.updateChangelogEntry                  UNAUTHENTICATED  FORBIDDEN        FORBIDDEN        FORBIDDEN        ok
  Mutation.updateDevEnvironment                  UNAUTHENTICATED  NOT_FOUND        FORBIDDEN        ok               NOT_FOUND
  Mutation.updateOrganization                    UNAUTHENTICATED  NOT_FOUND        FORBIDDEN        ok               NOT_FOUND
  Mutation.updatePlan                            UNAUTHENTICATED  FORBIDDEN        FORBIDDEN        FORBIDDEN        ok
  Mutation.updateProduct                         UNAUTHENTICATED  FORBIDDEN        FORBIDDEN        FORBIDDEN        ok
  Mutation.updateProductCatalogue                UNAUTHENTICATED  FORBIDDEN        FORBIDDEN        FORBIDDEN        ok
  Mutation.updateProfile                         UNAUTHENTICATED  ok               ok               ok               ok
  Mutation.updateProject                         UNAUTHENTICATED  NOT_FOUND        FORBIDDEN        ok               NOT_FOUND
  Mutation.updateReasonTemplate                  UNAUTHENTICATED  FORBIDDEN        FORBIDDEN        FORBIDDEN        ok
  Mutation.updateWebhookEndpoint                 UNAUTHENTICATED  NOT_FOUND        FORBIDDEN        ok               NOT_FOUND
  Mutation.verifyEmail                           ok               ok               ok               ok               ok
  Mutation.withdrawGrantRequest                  UNAUTHENTICATED  NOT_FOUND        FORBIDDEN        ok               FORBIDDEN
  Subscription.organizationEvents                UNAUTHENTICATED  NOT_FOUND        ok               ok               ok
  Subscription.reviewQueueEvents                 UNAUTHENTICATED  FORBIDDEN        FORBIDDEN        FORBIDDEN        ok
  Subscription.staffEvents                       UNAUTHENTICATED  FORBIDDEN        FORBIDDEN        FORBIDDEN        ok
  Subscription.viewerEvents                      UNAUTHENTICATED  ok               ok               ok               ok
`;

type Outcome = string;

function parseTable(text: string): Map<string, Record<Role, Outcome>> {
  const [header, ...rows] = text
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/));
  if (header?.join(' ') !== ['operation', ...ROLES].join(' ')) {
    throw new Error(`EXPECTED: the header must be: operation ${ROLES.join(' ')}`);
  }
  const table = new Map<string, Record<Role, Outcome>>();
  for (const [operation, ...outcomes] of rows) {
    if (!operation || outcomes.length !== ROLES.length) {
      throw new Error(`EXPECTED: row "${operation}" needs one outcome per caller`);
    }
    if (table.has(operation)) throw new Error(`EXPECTED: ${operation} is listed twice`);
    table.set(
      operation,
      Object.fromEntries(ROLES.map((role, i) => [role, outcomes[i]])) as Record<Role, Outcome>,
    );
  }
  return table;
}

let server: TestServer;
let tenant: Tenant;

const expected = parseTable(EXPECTED);

beforeAll(async () => {
  server = await startTestServer();
  tenant = await setUpTenant(server);
});

afterAll(async () => {
  await server?.close();
});

describe('the authorization matrix', () => {
  it('has one row and one case for every root operation of the schema, and no others', () => {
    const operations = [...listAccessRules(server.app.schema).keys()].sort();
    expect([...expected.keys()].sort(), 'EXPECTED rows').toEqual(operations);
    expect(Object.keys(tenant.cases).sort(), 'CASES').toEqual(operations);
  });

  it.each([...expected.keys()])('%s', async (name) => {
    const testCase = tenant.cases[name];
    if (!testCase) throw new Error(`No case for ${name} in the tenant's cases`);
    // The callers run side by side (each has its own session copy and its own fresh objects),
    // but subscriptions one at a time: `subscribe` tells an accepted one by the count of the
    // server's subscriptions, which another caller's would move.
    const outcomes: Outcome[] = [];
    if (name.startsWith('Subscription.')) {
      for (const role of ROLES) outcomes.push(await tenant.outcomeOf(name, testCase, role));
    } else {
      outcomes.push(
        ...(await Promise.all(ROLES.map((role) => tenant.outcomeOf(name, testCase, role)))),
      );
    }
    const actual = Object.fromEntries(ROLES.map((role, i) => [role, outcomes[i]]));
    expect(actual).toEqual(expected.get(name));
  });
});
