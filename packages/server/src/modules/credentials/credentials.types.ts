import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { Credential, CredentialKind } from './credentials.entity.js';

@InputType({ description: 'A new credential for an app.' })
export class CreateCredentialInput {
  @Field(() => ID, { description: 'The app the credential is for.' })
  appId!: string;

  @Field(() => CredentialKind, { description: 'The kind of credential to make.' })
  kind!: CredentialKind;
}

@InputType()
export class CredentialIdInput {
  @Field(() => ID, { description: 'The credential.' })
  credentialId!: string;
}

@InputType({ description: 'The active credential to replace at once.' })
export class RegenerateCredentialInput extends CredentialIdInput {}

@InputType({ description: 'The credential to revoke.' })
export class RevokeCredentialInput extends CredentialIdInput {}

@InputType({ description: 'The rotated-out credential whose grace period to end.' })
export class EndCredentialGraceInput extends CredentialIdInput {}

@InputType({
  description: 'The active credential to rotate, and how long the old one keeps working.',
})
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

@ObjectType({
  description: 'The result of `createCredential`: the new credential and its secret, shown once.',
})
export class CreateCredentialPayload extends IssuedCredentialPayload {}

@ObjectType({
  description:
    'The result of `regenerateCredential`: the new credential and its secret, shown once.',
})
export class RegenerateCredentialPayload extends IssuedCredentialPayload {
  @Field(() => Credential, { description: 'The credential replaced, revoked at once.' })
  previousCredential!: Credential;
}

@ObjectType({
  description: 'The result of `rotateCredential`: the new credential and its secret, shown once.',
})
export class RotateCredentialPayload extends IssuedCredentialPayload {
  @Field(() => Credential, {
    description: 'The credential rotated out; it works until its expiresAt.',
  })
  previousCredential!: Credential;
}

@ObjectType({ description: 'The result of `revokeCredential`.' })
export class RevokeCredentialPayload {
  @Field(() => Credential, { description: 'The credential, now REVOKED.' })
  credential!: Credential;
}

@ObjectType({ description: 'The result of `endCredentialGrace`.' })
export class EndCredentialGracePayload {
  @Field(() => Credential, { description: 'The credential, now EXPIRED.' })
  credential!: Credential;
}
