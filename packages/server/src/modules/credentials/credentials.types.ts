import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { Credential, CredentialKind } from './credentials.entity.js';

@InputType()
export class CreateCredentialInput {
  @Field(() => ID)
  appId!: string;

  @Field(() => CredentialKind)
  kind!: CredentialKind;
}

@InputType()
export class CredentialIdInput {
  @Field(() => ID)
  credentialId!: string;
}

@InputType()
export class RegenerateCredentialInput extends CredentialIdInput {}

@InputType()
export class RevokeCredentialInput extends CredentialIdInput {}

@InputType()
export class EndCredentialGraceInput extends CredentialIdInput {}

@InputType()
export class RotateCredentialInput extends CredentialIdInput {
  @Field(() => Int, {
    description: 'Days (0 to 30) the old credential keeps working; 0 ends it at once.',
  })
  graceDays!: number;
}

/** A payload that carries a freshly made secret, shown this once. */
@ObjectType()
export abstract class IssuedCredentialPayload {
  @Field(() => Credential, { description: 'The new credential.' })
  credential!: Credential;

  @Field({ description: 'The secret. It is shown here once and cannot be read again.' })
  secret!: string;

  @Field(() => String, {
    nullable: true,
    description:
      'The public identifier (consumer key, access token, client id), if the kind has one.',
  })
  publicId!: string | null;
}

@ObjectType()
export class CreateCredentialPayload extends IssuedCredentialPayload {}

@ObjectType()
export class RegenerateCredentialPayload extends IssuedCredentialPayload {
  @Field(() => Credential, { description: 'The credential replaced, revoked at once.' })
  previousCredential!: Credential;
}

@ObjectType()
export class RotateCredentialPayload extends IssuedCredentialPayload {
  @Field(() => Credential, {
    description: 'The credential rotated out; it works until its expiresAt.',
  })
  previousCredential!: Credential;
}

@ObjectType()
export class RevokeCredentialPayload {
  @Field(() => Credential)
  credential!: Credential;
}

@ObjectType()
export class EndCredentialGracePayload {
  @Field(() => Credential)
  credential!: Credential;
}
