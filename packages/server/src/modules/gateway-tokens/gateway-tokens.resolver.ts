import { Arg, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Access } from '../../auth/access.js';
import type { Context } from '../../context.js';
import { User } from '../accounts/accounts.entity.js';
import { loadReference } from '../../db/references.js';
import { GatewayToken } from './gateway-tokens.entity.js';
import {
  createGatewayToken,
  listGatewayTokens,
  revokeGatewayToken,
} from './gateway-tokens.service.js';
import {
  CreateGatewayTokenInput,
  CreateGatewayTokenPayload,
  RevokeGatewayTokenInput,
  RevokeGatewayTokenPayload,
} from './gateway-tokens.types.js';
import { accountLoaders } from '../accounts/accounts.loaders.js';

@Resolver(() => GatewayToken)
export class GatewayTokenResolver {
  @Access('STAFF')
  @Query(() => [GatewayToken], {
    description: 'Staff: every token gateways report usage with, newest first.',
  })
  async gatewayTokens(@Ctx() ctx: Context): Promise<GatewayToken[]> {
    return listGatewayTokens(ctx);
  }

  @Access('STAFF')
  @Mutation(() => CreateGatewayTokenPayload, {
    description: 'Staff make a gateway token; the token is in this payload only.',
  })
  async createGatewayToken(
    @Arg('input', { description: 'The name of the gateway.' }) input: CreateGatewayTokenInput,
    @Ctx() ctx: Context,
  ): Promise<CreateGatewayTokenPayload> {
    return createGatewayToken(ctx, input);
  }

  @Access('STAFF')
  @Mutation(() => RevokeGatewayTokenPayload, {
    description: 'Staff revoke a gateway token; its reports are refused at once.',
  })
  async revokeGatewayToken(
    @Arg('input', { description: 'The token to revoke.' }) input: RevokeGatewayTokenInput,
    @Ctx() ctx: Context,
  ): Promise<RevokeGatewayTokenPayload> {
    return { gatewayToken: await revokeGatewayToken(ctx, input) };
  }

  @FieldResolver(() => User, {
    nullable: true,
    description: 'The staff member who made it; null when their account is gone.',
  })
  async createdBy(@Root() token: GatewayToken, @Ctx() ctx: Context): Promise<User | null> {
    return token.createdBy ? loadReference(token.createdBy, accountLoaders(ctx).userById) : null;
  }

  @FieldResolver(() => User, {
    nullable: true,
    description:
      'The staff member who revoked it; null while it works or when their account is gone.',
  })
  async revokedBy(@Root() token: GatewayToken, @Ctx() ctx: Context): Promise<User | null> {
    return token.revokedBy ? loadReference(token.revokedBy, accountLoaders(ctx).userById) : null;
  }
}
