import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { PatScope } from '../../auth/roles.js';
import { TokenAccess, TokenArea } from '../../auth/token-permissions.js';
import { PersonalAccessToken, User } from './accounts.entity.js';

@InputType()
export class SignUpInput {
  @Field()
  email!: string;

  @Field()
  name!: string;

  @Field()
  password!: string;
}

@InputType()
export class SignInInput {
  @Field()
  email!: string;

  @Field()
  password!: string;
}

@ObjectType()
export class SignUpPayload {
  @Field({
    description:
      'Always true, whether or not an account uses the address (no account probing): a new address gets a link that finishes signing up, an address with an account a mail saying someone tried.',
  })
  sent!: boolean;

  @Field(() => User, {
    nullable: true,
    deprecationReason:
      'Always null: signing up no longer signs in. The link mailed to the address finishes it (verifyEmail).',
  })
  user!: User | null;
}

@ObjectType()
export class SignInPayload {
  @Field(() => User)
  user!: User;
}

@ObjectType()
export class SignOutPayload {
  @Field()
  signedOut!: boolean;
}

@InputType()
export class VerifyEmailInput {
  @Field({ description: 'The token from the link in the verification mail.' })
  token!: string;
}

@ObjectType()
export class VerifyEmailPayload {
  @Field(() => User)
  user!: User;
}

@ObjectType()
export class ResendVerificationEmailPayload {
  @Field({ description: 'False when the email address is already verified.' })
  sent!: boolean;
}

@InputType()
export class RequestPasswordResetInput {
  @Field()
  email!: string;
}

@ObjectType()
export class RequestPasswordResetPayload {
  @Field({
    description: 'Always true, whether or not an account uses the address (no account probing).',
  })
  sent!: boolean;
}

@InputType()
export class ResetPasswordInput {
  @Field({ description: 'The token from the link in the reset mail.' })
  token!: string;

  @Field()
  password!: string;
}

@ObjectType()
export class ResetPasswordPayload {
  @Field(() => User)
  user!: User;
}

@InputType()
export class UpdateProfileInput {
  @Field()
  name!: string;
}

@ObjectType()
export class UpdateProfilePayload {
  @Field(() => User)
  user!: User;
}

@InputType()
export class ChangePasswordInput {
  @Field()
  currentPassword!: string;

  @Field()
  newPassword!: string;
}

@ObjectType()
export class ChangePasswordPayload {
  @Field(() => User)
  user!: User;
}

@InputType()
export class CreatePersonalAccessTokenInput {
  @Field()
  name!: string;

  @Field(() => [PatScope])
  scopes!: PatScope[];

  @Field(() => Int, { nullable: true, description: '1 to 365.' })
  expiresInDays?: number | null;
}

@ObjectType({ description: 'What a fine-grained token may do in one area.' })
export class TokenPermission {
  @Field(() => TokenArea)
  area!: TokenArea;

  @Field(() => TokenAccess)
  level!: TokenAccess;
}

@ObjectType()
export class CreatePersonalAccessTokenPayload {
  @Field({ description: 'The secret token. It is shown here once and cannot be read again.' })
  token!: string;

  @Field(() => PersonalAccessToken)
  personalAccessToken!: PersonalAccessToken;
}

@InputType()
export class RevokePersonalAccessTokenInput {
  @Field(() => ID)
  id!: string;
}

@ObjectType()
export class RevokePersonalAccessTokenPayload {
  @Field(() => PersonalAccessToken)
  personalAccessToken!: PersonalAccessToken;
}
