import { Arg, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import { Access } from '../../auth/access.js';
import type { Context } from '../../context.js';
import { PersonalAccessToken } from '../accounts/accounts.entity.js';
import { PersonalAccessTokenStatus } from '../accounts/personal-access-tokens.js';
import { Organization } from '../orgs/orgs.entity.js';
import { orgLoaders } from '../orgs/orgs.loaders.js';
import {
  createFineGrainedToken,
  organizationTokens,
  reviewToken,
  setTokenPolicy,
} from './tokens.service.js';
import {
  CreateFineGrainedPersonalAccessTokenInput,
  CreateFineGrainedPersonalAccessTokenPayload,
  ReviewPersonalAccessTokenInput,
  ReviewPersonalAccessTokenPayload,
  SetOrganizationTokenPolicyInput,
  SetOrganizationTokenPolicyPayload,
} from './tokens.types.js';

@Resolver(() => PersonalAccessToken)
export class FineGrainedTokensResolver {
  @Access('SESSION')
  @Mutation(() => CreateFineGrainedPersonalAccessTokenPayload, {
    description:
      'Makes a fine-grained token for the API, bound to one organization or to your own account; its secret is in this payload only.',
  })
  async createFineGrainedPersonalAccessToken(
    @Arg('input', { description: 'The new token.' })
    input: CreateFineGrainedPersonalAccessTokenInput,
    @Ctx() ctx: Context,
  ): Promise<CreateFineGrainedPersonalAccessTokenPayload> {
    return createFineGrainedToken(ctx, input);
  }

  @Access('SESSION')
  @Mutation(() => ReviewPersonalAccessTokenPayload, {
    description:
      "Approves or refuses a member's fine-grained token for your organization (admins); refusing one that works withdraws its access.",
  })
  async reviewPersonalAccessToken(
    @Arg('input', { description: 'The token and the decision.' })
    input: ReviewPersonalAccessTokenInput,
    @Ctx() ctx: Context,
  ): Promise<ReviewPersonalAccessTokenPayload> {
    return { personalAccessToken: await reviewToken(ctx, input) };
  }

  @FieldResolver(() => Organization, {
    nullable: true,
    description:
      'The organization a fine-grained token is bound to; null for one bound to your own account, for classic tokens, and for an organization you left.',
  })
  async organization(
    @Root() token: PersonalAccessToken,
    @Ctx() ctx: Context,
  ): Promise<Organization | null> {
    const id = token.organization?.id;
    if (!id) return null;
    if (!(await orgLoaders(ctx).viewerMembershipByOrg.load(id))) return null;
    return orgLoaders(ctx).organizationById.load(id);
  }
}

@Resolver(() => Organization)
export class OrganizationTokensResolver {
  @Access('SESSION')
  @Mutation(() => SetOrganizationTokenPolicyPayload, {
    description:
      'Allows personal access tokens for the organization, requires approval of new fine-grained ones, or forbids them (admins).',
  })
  async setOrganizationTokenPolicy(
    @Arg('input', { description: 'The organization and its policy.' })
    input: SetOrganizationTokenPolicyInput,
    @Ctx() ctx: Context,
  ): Promise<SetOrganizationTokenPolicyPayload> {
    return { organization: await setTokenPolicy(ctx, input) };
  }

  @FieldResolver(() => [PersonalAccessToken], {
    nullable: true,
    description:
      "The members' fine-grained tokens for this organization, newest first; PENDING_APPROVAL: those waiting for an admin (admins only).",
  })
  personalAccessTokens(
    @Root() organization: Organization,
    @Ctx() ctx: Context,
    @Arg('status', () => PersonalAccessTokenStatus, {
      nullable: true,
      description: 'Only the tokens in this status.',
    })
    status: PersonalAccessTokenStatus | null,
  ): Promise<PersonalAccessToken[]> {
    return organizationTokens(ctx, organization, status);
  }
}
