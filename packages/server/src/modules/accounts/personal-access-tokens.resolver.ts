import { Arg, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import { Access } from '../../auth/access.js';
import type { Context } from '../../context.js';
import { notFound } from '../../errors.js';
import { PersonalAccessToken, User } from './accounts.entity.js';
import {
  CreatePersonalAccessTokenInput,
  CreatePersonalAccessTokenPayload,
  RevokePersonalAccessTokenInput,
  RevokePersonalAccessTokenPayload,
  TokenPermission,
} from './accounts.types.js';
import { accountLoaders } from './accounts.loaders.js';
import { PersonalAccessTokenStatus } from './personal-access-tokens.js';
import {
  permissionList,
  personalAccessTokensOf,
  personalAccessTokenStatus,
  refuseClassicToken,
  revokePersonalAccessToken,
} from './personal-access-tokens.service.js';

@Resolver(() => User)
export class PersonalAccessTokensResolver {
  @FieldResolver(() => [PersonalAccessToken], {
    description:
      "The viewer's own tokens (fine-grained and classic), newest first; empty for anyone else.",
  })
  personalAccessTokens(@Root() user: User, @Ctx() ctx: Context): Promise<PersonalAccessToken[]> {
    return personalAccessTokensOf(ctx, user);
  }

  @Access('SESSION')
  @Mutation(() => CreatePersonalAccessTokenPayload, {
    description: 'Classic tokens can no longer be made: this is refused (FORBIDDEN).',
    deprecationReason: 'Create a fine-grained token with createFineGrainedPersonalAccessToken.',
  })
  async createPersonalAccessToken(
    @Arg('input', { description: 'The name, scopes and lifetime of the token.' })
    input: CreatePersonalAccessTokenInput,
    @Ctx() ctx: Context,
  ): Promise<CreatePersonalAccessTokenPayload> {
    return refuseClassicToken(ctx, input);
  }

  @Access('SESSION')
  @Mutation(() => RevokePersonalAccessTokenPayload, {
    description: 'Revokes one of your tokens; it stops working at once.',
  })
  async revokePersonalAccessToken(
    @Arg('input', { description: 'The token to revoke.' }) input: RevokePersonalAccessTokenInput,
    @Ctx() ctx: Context,
  ): Promise<RevokePersonalAccessTokenPayload> {
    return { personalAccessToken: await revokePersonalAccessToken(ctx, input) };
  }
}

@Resolver(() => PersonalAccessToken)
export class PersonalAccessTokenFieldsResolver {
  @FieldResolver(() => PersonalAccessTokenStatus, {
    description: 'Whether it works now, and if not, why.',
  })
  status(@Root() token: PersonalAccessToken): Promise<PersonalAccessTokenStatus> {
    return personalAccessTokenStatus(token);
  }

  @FieldResolver(() => Boolean, {
    description:
      'Whether a fine-grained token is bound to an organization (see `organization`); false for one bound to your own account and for classic tokens.',
  })
  boundToOrganization(@Root() token: PersonalAccessToken): boolean {
    return token.organization !== null;
  }

  @FieldResolver(() => [TokenPermission], {
    description: "A fine-grained token's permissions, one per area it may use; empty for classic.",
  })
  permissions(@Root() token: PersonalAccessToken): TokenPermission[] {
    return permissionList(token);
  }

  @FieldResolver(() => User, { description: 'Whose token it is.' })
  async owner(@Root() token: PersonalAccessToken, @Ctx() ctx: Context): Promise<User> {
    const user = await accountLoaders(ctx).userById.load(token.user.id);
    if (!user) throw notFound('User');
    return user;
  }

  @FieldResolver(() => User, {
    nullable: true,
    description: 'The organization admin who approved or refused it.',
  })
  async reviewedBy(@Root() token: PersonalAccessToken, @Ctx() ctx: Context): Promise<User | null> {
    return token.reviewedBy ? accountLoaders(ctx).userById.load(token.reviewedBy.id) : null;
  }
}
