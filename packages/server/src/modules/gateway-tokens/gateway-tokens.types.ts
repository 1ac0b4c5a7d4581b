import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { GatewayToken } from './gateway-tokens.entity.js';

@InputType({ description: 'A new gateway token.' })
export class CreateGatewayTokenInput {
  @Field({ description: 'What the gateway is (1 to 100 characters), e.g. "edge NGINX eu-west".' })
  name!: string;
}

@InputType({ description: 'The gateway token to revoke.' })
export class RevokeGatewayTokenInput {
  @Field(() => ID, { description: 'The gateway token.' })
  gatewayTokenId!: string;
}

@ObjectType({ description: 'The result of `createGatewayToken`: the token, shown once.' })
export class CreateGatewayTokenPayload {
  @Field(() => GatewayToken, { description: 'The new gateway token.' })
  gatewayToken!: GatewayToken;

  @Field({
    description:
      'The token (`pgw_…`) for `Authorization: Bearer` on POST /v1/usage. It is shown here once and cannot be read again.',
  })
  token!: string;
}

@ObjectType({ description: 'The result of `revokeGatewayToken`.' })
export class RevokeGatewayTokenPayload {
  @Field(() => GatewayToken, { description: 'The token, now revoked.' })
  gatewayToken!: GatewayToken;
}
