import { Arg, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import { Access } from '../../auth/access.js';
import type { Context } from '../../context.js';
import { PersonalAccessToken, User } from './accounts.entity.js';
import {
  CreatePersonalAccessTokenInput,
  CreatePersonalAccessTokenPayload,
  RevokePersonalAccessTokenInput,
  RevokePersonalAccessTokenPayload,
} from './accounts.types.js';
import {
  createPersonalAccessToken,
  personalAccessTokensOf,
  revokePersonalAccessToken,
} from './personal-access-tokens.service.js';

@Resolver(() => User)
export class PersonalAccessTokensResolver {
  @FieldResolver(() => [PersonalAccessToken], {
    description: "The viewer's own tokens, newest first; empty for anyone else.",
  })
  personalAccessTokens(@Root() user: User, @Ctx() ctx: Context): Promise<PersonalAccessToken[]> {
    return personalAccessTokensOf(ctx, user);
  }

  @Access('SESSION')
  @Mutation(() => CreatePersonalAccessTokenPayload, {
    description: 'Makes a token for the API; its secret is in this payload only.',
  })
  async createPersonalAccessToken(
    @Arg('input', { description: 'The name, scopes and lifetime of the token.' })
    input: CreatePersonalAccessTokenInput,
    @Ctx() ctx: Context,
  ): Promise<CreatePersonalAccessTokenPayload> {
    return createPersonalAccessToken(ctx, input);
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
