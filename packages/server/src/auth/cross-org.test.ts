import { beforeAll, describe, expect, it } from 'vitest';
import {
  getNamedType,
  isInputObjectType,
  isObjectType,
  type GraphQLArgument,
  type GraphQLInputType,
} from 'graphql';
import { useTestServer } from '../../test/harness.js';
import { signUpUser, type SignedInUser } from '../../test/builders.js';

/**
 * Every operation that takes an id (or a token) is run by an admin of another organization
 * against the first organization's objects, and must be refused without changing anything.
 */
const server = useTestServer();
let owner: SignedInUser;
let outsider: SignedInUser;
const ids = {
  organizationId: '',
  projectId: '',
  appId: '',
  membershipId: '',
  invitationId: '',
  tokenId: '',
};

beforeAll(async () => {
  owner = await signUpUser(server, { name: 'Owner' });
  outsider = await signUpUser(server, { name: 'Outsider' });
  await outsider.client.ok(
    `mutation { createOrganization(input: { name: "Outsider Inc" }) { organization { id } } }`,
  );
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
    createPersonalAccessToken: { personalAccessToken: { id: string } };
  }>(
    `mutation { createPersonalAccessToken(input: { name: "ci", scopes: [READ] }) { personalAccessToken { id } } }`,
  );
  ids.tokenId = token.createPersonalAccessToken.personalAccessToken.id;
});

type Case = { operation: string; variables: () => Record<string, unknown> };

/** Operations that take the id of an organization's object (or a secret token). */
const CASES: Record<string, Case> = {
  'Query.node': {
    operation: `query ($id: ID!) { node(id: $id) { id } }`,
    variables: () => ({ id: ids.appId }),
  },
  'Query.organization': {
    operation: `query ($id: ID!) { organization(id: $id) { id name } }`,
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
  'Mutation.revokePersonalAccessToken': {
    operation: `mutation ($id: ID!) { revokePersonalAccessToken(input: { id: $id }) { personalAccessToken { id } } }`,
    variables: () => ({ id: ids.tokenId }),
  },
};

/**
 * Operations that take an id but are not about another organization's objects:
 * `acceptInvitation`/`declineInvitation`/`verifyEmail`/`resetPassword`/`invitationByToken`
 * take secret tokens from mail (covered in their modules' tests).
 */
const NOT_ORG_SCOPED = new Set([
  'Query.invitationByToken',
  'Mutation.acceptInvitation',
  'Mutation.declineInvitation',
  'Mutation.verifyEmail',
  'Mutation.resetPassword',
  'Query.mailOutbox',
]);

let outsiderOrgId = '';

function takesId(type: GraphQLInputType, seen = new Set<string>()): boolean {
  const named = getNamedType(type);
  if (named.name === 'ID') return true;
  if (!isInputObjectType(named) || seen.has(named.name)) return false;
  seen.add(named.name);
  return Object.values(named.getFields()).some((field) => takesId(field.type, seen));
}

describe('another organization', () => {
  it('covers every operation that takes an id', () => {
    const covered = new Set(Object.keys(CASES).map((name) => name.split(' ')[0]));
    const missing: string[] = [];
    for (const root of [server.app.schema.getQueryType(), server.app.schema.getMutationType()]) {
      if (!root || !isObjectType(root)) continue;
      for (const field of Object.values(root.getFields())) {
        const name = `${root.name}.${field.name}`;
        const hasId = field.args.some((arg: GraphQLArgument) => takesId(arg.type));
        if (hasId && !covered.has(name) && !NOT_ORG_SCOPED.has(name)) missing.push(name);
      }
    }
    expect(missing, 'add these operations to CASES').toEqual([]);
  });

  it.each(Object.entries(CASES))('refuses %s', async (_name, testCase) => {
    if (!outsiderOrgId) {
      const data = await outsider.client.ok<{ viewer: { organizations: { id: string }[] } }>(
        `{ viewer { organizations { id } } }`,
      );
      outsiderOrgId = data.viewer.organizations[0]!.id;
    }
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

  it('changed nothing in the organization', async () => {
    const data = await owner.client.ok<{
      organization: {
        name: string;
        members: { id: string; role: string }[];
        projects: { name: string; apps: { name: string }[] }[];
        invitations: { status: string }[];
      };
    }>(
      `query ($id: ID!) { organization(id: $id) { name members { id role } projects { name apps { name } } invitations { status } } }`,
      { id: ids.organizationId },
    );
    expect(data.organization).toEqual({
      name: 'Target Org',
      members: [{ id: ids.membershipId, role: 'ADMIN' }],
      projects: [{ name: 'Secret project', apps: [{ name: 'Secret app' }] }],
      invitations: [{ status: 'PENDING' }],
    });
    const tokens = await owner.client.ok<{
      viewer: { personalAccessTokens: { revokedAt: string | null }[] };
    }>(`{ viewer { personalAccessTokens { revokedAt } } }`);
    expect(tokens.viewer.personalAccessTokens).toEqual([{ revokedAt: null }]);
  });
});
