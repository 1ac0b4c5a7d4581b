import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { App } from '../apps/apps.entity.js';
import { AppKey, OAuthAuthorization } from './oauth.entity.js';

@ObjectType({ description: 'What a user sees of an app they authorized.' })
export class AuthorizedAppInfo {
  @Field({ description: "The app's name." })
  name!: string;

  @Field(() => String, {
    nullable: true,
    description: "The app's icon URL; null when it has none.",
  })
  iconUrl!: string | null;

  @Field(() => String, { nullable: true, description: "The app's website; null when not given." })
  websiteUrl!: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'The company behind the app, as it names itself; null when not given.',
  })
  organizationName!: string | null;

  static of(app: App): AuthorizedAppInfo {
    return Object.assign(new AuthorizedAppInfo(), {
      name: app.name,
      iconUrl: app.iconUrl,
      websiteUrl: app.websiteUrl,
      organizationName: app.organizationName,
    });
  }
}

@InputType({ description: 'The authorization to take back.' })
export class RevokeAuthorizedAppInput {
  @Field(() => ID, { description: 'The id of one of your authorizations (`authorizedApps`).' })
  authorizationId!: string;
}

@ObjectType({ description: 'The result of `revokeAuthorizedApp`.' })
export class RevokeAuthorizedAppPayload {
  @Field(() => OAuthAuthorization, { description: 'The authorization, now revoked.' })
  authorization!: OAuthAuthorization;
}

@InputType({ description: 'Give either publicKey (a JWK or PEM public key) or jwksUrl.' })
export class AddAppKeyInput {
  @Field(() => ID, { description: 'The app; you must own it or be an admin of its organization.' })
  appId!: string;

  @Field(() => String, {
    nullable: true,
    description: 'An EC P-256 or RSA (2048 bits or more) public key, as a JWK (JSON) or PEM.',
  })
  publicKey?: string | null;

  @Field(() => String, { nullable: true, description: 'Where the app publishes its JWKS.' })
  jwksUrl?: string | null;
}

@ObjectType({ description: 'The result of `addAppKey`.' })
export class AddAppKeyPayload {
  @Field(() => AppKey, { description: 'The registered key.' })
  appKey!: AppKey;
}

@InputType({ description: 'The app key to remove.' })
export class RemoveAppKeyInput {
  @Field(() => ID, { description: 'The app key.' })
  appKeyId!: string;
}

@ObjectType({ description: 'The result of `removeAppKey`.' })
export class RemoveAppKeyPayload {
  @Field(() => AppKey, { description: 'The removed key.' })
  appKey!: AppKey;
}

@ObjectType({ description: 'The result of `rotateOAuthSigningKey`.' })
export class RotateOAuthSigningKeyPayload {
  @Field({ description: 'The key id (`kid`) new tokens are signed with.' })
  kid!: string;
}
