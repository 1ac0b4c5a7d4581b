import { Arg, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Access } from '../../auth/access.js';
import type { Context } from '../../context.js';
import { App } from '../apps/apps.entity.js';
import { AppKey, OAuthAuthorization } from './oauth.entity.js';
import { describeScope } from './oauth.scopes.js';
import {
  addAppKey,
  listAppKeys,
  listAuthorizedApps,
  removeAppKey,
  revokeAuthorizedApp,
  rotateOAuthSigningKey,
} from './oauth.service.js';
import {
  AddAppKeyInput,
  AddAppKeyPayload,
  AuthorizedAppInfo,
  RemoveAppKeyInput,
  RemoveAppKeyPayload,
  RevokeAuthorizedAppInput,
  RevokeAuthorizedAppPayload,
  RotateOAuthSigningKeyPayload,
} from './oauth.types.js';

@Resolver(() => OAuthAuthorization)
export class OAuthAuthorizationResolver {
  @Access('SESSION')
  @Query(() => [OAuthAuthorization], {
    description: 'The apps the viewer allowed to act on their behalf, most recently used first.',
  })
  authorizedApps(@Ctx() ctx: Context): Promise<OAuthAuthorization[]> {
    return listAuthorizedApps(ctx);
  }

  @Access('SESSION')
  @Mutation(() => RevokeAuthorizedAppPayload, {
    description: "Takes back an app's access: its tokens stop working everywhere within a second.",
  })
  async revokeAuthorizedApp(
    @Arg('input', { description: 'The authorization to take back.' })
    input: RevokeAuthorizedAppInput,
    @Ctx() ctx: Context,
  ): Promise<RevokeAuthorizedAppPayload> {
    return { authorization: await revokeAuthorizedApp(ctx, input) };
  }

  @Access('STAFF')
  @Mutation(() => RotateOAuthSigningKeyPayload, {
    description:
      'Staff: signs new tokens with a new key; the old one stays in the JWKS until its tokens expire.',
  })
  async rotateOAuthSigningKey(@Ctx() ctx: Context): Promise<RotateOAuthSigningKeyPayload> {
    const key = await rotateOAuthSigningKey(ctx);
    return { kid: key.kid };
  }

  @FieldResolver(() => AuthorizedAppInfo, { description: 'The app you authorized, as you see it.' })
  app(@Root() authorization: OAuthAuthorization): AuthorizedAppInfo {
    // Loaded with the list (populate), so no query per row.
    return AuthorizedAppInfo.of(authorization.app.getEntity());
  }

  @FieldResolver(() => [String], { description: 'What the app may do, in plain words.' })
  permissions(@Root() authorization: OAuthAuthorization): string[] {
    return authorization.scopes.map(describeScope);
  }
}

@Resolver(() => AppKey)
export class AppKeyResolver {
  @Access('SIGNED_IN')
  @Mutation(() => AddAppKeyPayload, {
    description:
      'Registers a public key (or JWKS URL) the app authenticates with (private_key_jwt) instead of its client secret. Only the public key is stored.',
  })
  async addAppKey(
    @Arg('input', { description: 'The app and its public key or JWKS URL.' }) input: AddAppKeyInput,
    @Ctx() ctx: Context,
  ): Promise<AddAppKeyPayload> {
    return { appKey: await addAppKey(ctx, input) };
  }

  @Access('SIGNED_IN')
  @Mutation(() => RemoveAppKeyPayload, {
    description: 'Removes a key: assertions signed with it are refused from now on.',
  })
  async removeAppKey(
    @Arg('input', { description: 'The key to remove.' }) input: RemoveAppKeyInput,
    @Ctx() ctx: Context,
  ): Promise<RemoveAppKeyPayload> {
    return { appKey: await removeAppKey(ctx, input) };
  }
}

@Resolver(() => App)
export class AppKeysResolver {
  @FieldResolver(() => [AppKey], {
    description: 'The public keys the app authenticates with (private_key_jwt), oldest first.',
  })
  keys(@Root() app: App, @Ctx() ctx: Context): Promise<AppKey[]> {
    return listAppKeys(ctx.em, app.id);
  }
}
