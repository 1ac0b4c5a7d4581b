import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { App } from '../apps/apps.entity.js';
import { AppKey, OAuthAuthorization } from './oauth.entity.js';

@ObjectType({ description: 'What a user sees of an app they authorized.' })
export class AuthorizedAppInfo {
  @Field()
  name!: string;

  @Field(() => String, { nullable: true })
  iconUrl!: string | null;

  @Field(() => String, { nullable: true })
  websiteUrl!: string | null;

  @Field(() => String, { nullable: true })
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

@InputType()
export class RevokeAuthorizedAppInput {
  @Field(() => ID)
  authorizationId!: string;
}

@ObjectType()
export class RevokeAuthorizedAppPayload {
  @Field(() => OAuthAuthorization)
  authorization!: OAuthAuthorization;
}

@InputType({ description: 'Give either publicKey (a JWK or PEM public key) or jwksUrl.' })
export class AddAppKeyInput {
  @Field(() => ID)
  appId!: string;

  @Field(() => String, {
    nullable: true,
    description: 'An EC P-256 or RSA (2048 bits or more) public key, as a JWK (JSON) or PEM.',
  })
  publicKey?: string | null;

  @Field(() => String, { nullable: true, description: 'Where the app publishes its JWKS.' })
  jwksUrl?: string | null;
}

@ObjectType()
export class AddAppKeyPayload {
  @Field(() => AppKey)
  appKey!: AppKey;
}

@InputType()
export class RemoveAppKeyInput {
  @Field(() => ID)
  appKeyId!: string;
}

@ObjectType()
export class RemoveAppKeyPayload {
  @Field(() => AppKey)
  appKey!: AppKey;
}

@ObjectType()
export class RotateOAuthSigningKeyPayload {
  @Field({ description: 'The key id (`kid`) new tokens are signed with.' })
  kid!: string;
}
