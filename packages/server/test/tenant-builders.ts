import { signUpUser, uniqueEmail, type SignedInUser } from './builders.js';
import type { TestServer } from './harness.js';
import { createProduct, uniqueLabel } from './product-builders.js';

/** The objects of one organization, each made through the API. */
export interface TenantIds {
  organizationId: string;
  projectId: string;
  appId: string;
  /** An active credential of the app. */
  credentialId: string;
  /** A rotated-out credential of the app, in its grace period. */
  graceCredentialId: string;
  /** The admin's own membership. */
  membershipId: string;
  invitationId: string;
  /** The admin's personal access token. */
  tokenId: string;
  /** The app's pending request for the MANUAL product. */
  grantId: string;
  devEnvironmentId: string;
}

/** An organization's admin with one of everything. */
export interface Tenant {
  admin: SignedInUser;
  ids: TenantIds;
}

/** Two tenants, staff, an applicant with a question open, and the shared catalogue. */
export interface PopulatedPortal {
  staff: SignedInUser;
  tenant: Tenant;
  /** Another organization, with another admin and objects of its own. */
  other: Tenant;
  /** A user without a developer account, whose application has a staff question open. */
  applicant: SignedInUser;
  applicationId: string;
  /** A MANUAL product each tenant's app has a pending request for. */
  productId: string;
  /** An AUTO product nobody requested yet. */
  otherProductId: string;
  planId: string;
  reasonTemplateId: string;
  gatewayTokenId: string;
}

export const APPLICANT_USE_CASE =
  'We build an internal dashboard that reads public posts about our products and summarises the sentiment for the support team every morning.';

async function tenant(
  server: TestServer,
  name: string,
  productId: string,
  existingAdmin?: SignedInUser,
): Promise<Tenant> {
  const admin = existingAdmin ?? (await signUpUser(server, { name: `${name} Admin` }));
  const { client } = admin;
  const org = await client.ok<{ createOrganization: { organization: { id: string } } }>(
    `mutation ($name: String!) { createOrganization(input: { name: $name }) { organization { id } } }`,
    { name },
  );
  const organizationId = org.createOrganization.organization.id;
  const project = await client.ok<{ createProject: { project: { id: string } } }>(
    `mutation ($id: ID!) { createProject(input: { organizationId: $id, name: "Project" }) { project { id } } }`,
    { id: organizationId },
  );
  const projectId = project.createProject.project.id;
  const app = await client.ok<{ createApp: { app: { id: string } } }>(
    `mutation ($id: ID!, $p: ID) { createApp(input: { organizationId: $id, projectId: $p, name: "App" }) { app { id } } }`,
    { id: organizationId, p: projectId },
  );
  const appId = app.createApp.app.id;
  const first = await client.ok<{ createCredential: { credential: { id: string } } }>(
    `mutation ($id: ID!) { createCredential(input: { appId: $id, kind: CONSUMER_KEY }) { credential { id } } }`,
    { id: appId },
  );
  const graceCredentialId = first.createCredential.credential.id;
  const rotated = await client.ok<{ rotateCredential: { credential: { id: string } } }>(
    `mutation ($id: ID!) { rotateCredential(input: { credentialId: $id, graceDays: 7 }) { credential { id } } }`,
    { id: graceCredentialId },
  );
  const invitation = await client.ok<{ inviteMember: { invitation: { id: string } } }>(
    `mutation ($id: ID!, $email: String!) { inviteMember(input: { organizationId: $id, email: $email, role: DEVELOPER }) { invitation { id } } }`,
    { id: organizationId, email: uniqueEmail('invitee') },
  );
  const members = await client.ok<{ organization: { members: { id: string }[] } }>(
    `query ($id: ID!) { organization(id: $id) { members { id } } }`,
    { id: organizationId },
  );
  const token = await client.ok<{
    createFineGrainedPersonalAccessToken: { personalAccessToken: { id: string } };
  }>(
    `mutation { createFineGrainedPersonalAccessToken(input: { name: "ci", permissions: [{ area: ACCOUNT, level: READ }], expiresInDays: 30 }) { personalAccessToken { id } } }`,
  );
  const requested = await client.ok<{ requestProducts: { grants: { id: string }[] } }>(
    `mutation ($appId: ID!, $p: ID!) { requestProducts(input: { appId: $appId, productIds: [$p] }) { grants { id } } }`,
    { appId, p: productId },
  );
  const environment = await client.ok<{
    createDevEnvironment: { devEnvironment: { id: string } };
  }>(
    `mutation ($org: ID!, $p: ID!, $app: ID) { createDevEnvironment(input: { organizationId: $org, productId: $p, label: "staging", appId: $app }) { devEnvironment { id } } }`,
    { org: organizationId, p: productId, app: appId },
  );
  return {
    admin,
    ids: {
      organizationId,
      projectId,
      appId,
      credentialId: rotated.rotateCredential.credential.id,
      graceCredentialId,
      membershipId: members.organization.members[0]!.id,
      invitationId: invitation.inviteMember.invitation.id,
      tokenId: token.createFineGrainedPersonalAccessToken.personalAccessToken.id,
      grantId: requested.requestProducts.grants[0]!.id,
      devEnvironmentId: environment.createDevEnvironment.devEnvironment.id,
    },
  };
}

/**
 * A portal with two organizations full of objects, made through the API. Given the people of
 * an earlier portal, it makes new objects for the same staff member and admins (and a new
 * applicant), which is quicker than signing everyone up again.
 */
export async function populatedPortal(
  server: TestServer,
  people?: Pick<PopulatedPortal, 'staff' | 'tenant' | 'other'>,
): Promise<PopulatedPortal> {
  const staff = people?.staff ?? (await signUpUser(server, { name: 'Staff', staff: true }));
  const { client } = staff;
  const productId = (await createProduct(client, { approvalMode: 'MANUAL' })).id;
  const otherProductId = (await createProduct(client, { approvalMode: 'AUTO' })).id;
  const [first, second] = await Promise.all([
    tenant(server, `Tenant ${uniqueLabel('t')}`, productId, people?.tenant.admin),
    tenant(server, `Other ${uniqueLabel('o')}`, productId, people?.other.admin),
  ]);
  const plans = await client.ok<{ plans: { id: string; rank: number }[] }>(`{ plans { id rank } }`);
  const planId = plans.plans.reduce((top, plan) => (plan.rank > top.rank ? plan : top)).id;
  const template = await client.ok<{ createReasonTemplate: { reasonTemplate: { id: string } } }>(
    `mutation { createReasonTemplate(input: { title: "Incomplete", text: "Tell us more about the app." }) { reasonTemplate { id } } }`,
  );
  const gatewayToken = await client.ok<{ createGatewayToken: { gatewayToken: { id: string } } }>(
    `mutation { createGatewayToken(input: { name: "edge" }) { gatewayToken { id } } }`,
  );
  const applicant = await signUpUser(server, { name: 'Applicant', approved: false });
  const applied = await applicant.client.ok<{
    applyForDeveloperAccount: { application: { id: string } };
  }>(
    `mutation ($u: String!) { applyForDeveloperAccount(input: { useCase: $u }) { application { id } } }`,
    { u: APPLICANT_USE_CASE },
  );
  const applicationId = applied.applyForDeveloperAccount.application.id;
  await client.ok(
    `mutation ($id: ID!) { askApplicationQuestion(input: { applicationId: $id, body: "Which products?" }) { application { id } } }`,
    { id: applicationId },
  );
  return {
    staff,
    tenant: first,
    other: second,
    applicant,
    applicationId,
    productId,
    otherProductId,
    planId,
    reasonTemplateId: template.createReasonTemplate.reasonTemplate.id,
    gatewayTokenId: gatewayToken.createGatewayToken.gatewayToken.id,
  };
}
