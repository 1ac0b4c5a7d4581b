import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { GatewayToken } from './gateway-tokens.entity.js';

@InputType()
export class CreateGatewayTokenInput {
  @Field({ description: 'What the gateway is (1 to 100 characters), e.g. "edge NGINX eu-west".' })
  name!: string;
}

@InputType()
export class RevokeGatewayTokenInput {
  @Field(() => ID)
  gatewayTokenId!: string;
}

@ObjectType()
export class CreateGatewayTokenPayload {
  @Field(() => GatewayToken)
  gatewayToken!: GatewayToken;

  @Field({
    description:
      'The token (`pgw_…`) for `Authorization: Bearer` on POST /v1/usage. It is shown here once and cannot be read again.',
  })
  token!: string;
}

@ObjectType()
export class RevokeGatewayTokenPayload {
  @Field(() => GatewayToken)
  gatewayToken!: GatewayToken;
}
