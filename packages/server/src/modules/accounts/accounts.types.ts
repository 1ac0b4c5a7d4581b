import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { PatScope } from '../../auth/roles.js';
import { TokenAccess, TokenArea } from '../../auth/token-permissions.js';
import { PersonalAccessToken, User } from './accounts.entity.js';

@InputType({ description: 'A new account.' })
export class SignUpInput {
  @Field({
    description:
      'The email address to sign up with; the link that finishes signing up is sent to it.',
  })
  email!: string;

  @Field({ description: 'Your name, 1 to 100 characters.' })
  name!: string;

  @Field({ description: 'A password of 10 to 200 characters.' })
  password!: string;
}

@InputType({ description: 'The email address and password to sign in with.' })
export class SignInInput {
  @Field({ description: 'The email address of the account.' })
  email!: string;

  @Field({ description: "The account's password." })
  password!: string;
}

@ObjectType({ description: 'The result of `signUp`.' })
export class SignUpPayload {
  @Field({
    description:
      'Always true, whether or not an account uses the address (no account probing): a new address gets a link that finishes signing up, an address with an account a mail saying someone tried.',
  })
  sent!: boolean;

  @Field(() => User, {
    nullable: true,
    description: 'Always null: signing up does not sign in.',
    deprecationReason:
      'Always null: signing up no longer signs in. The link mailed to the address finishes it (verifyEmail).',
  })
  user!: User | null;
}

@ObjectType({ description: 'The result of `signIn`.' })
export class SignInPayload {
  @Field(() => User, { description: 'You, now signed in (a session cookie is set).' })
  user!: User;
}

@ObjectType({ description: 'The result of `signOut`.' })
export class SignOutPayload {
  @Field({ description: 'Always true: the session, if any, has ended.' })
  signedOut!: boolean;
}

@InputType({ description: 'The token of an email verification link.' })
export class VerifyEmailInput {
  @Field({ description: 'The token from the link in the verification mail.' })
  token!: string;
}

@ObjectType({ description: 'The result of `verifyEmail`.' })
export class VerifyEmailPayload {
  @Field(() => User, { description: 'You, with the email address verified.' })
  user!: User;
}

@ObjectType({ description: 'The result of `resendVerificationEmail`.' })
export class ResendVerificationEmailPayload {
  @Field({ description: 'False when the email address is already verified.' })
  sent!: boolean;
}

@InputType({ description: 'The email address to send a reset link to.' })
export class RequestPasswordResetInput {
  @Field({ description: 'The email address of the account.' })
  email!: string;
}

@ObjectType({ description: 'The result of `requestPasswordReset`.' })
export class RequestPasswordResetPayload {
  @Field({
    description: 'Always true, whether or not an account uses the address (no account probing).',
  })
  sent!: boolean;
}

@InputType({ description: 'The reset link token and the new password.' })
export class ResetPasswordInput {
  @Field({ description: 'The token from the link in the reset mail.' })
  token!: string;

  @Field({ description: 'The new password, 10 to 200 characters.' })
  password!: string;
}

@ObjectType({ description: 'The result of `resetPassword`.' })
export class ResetPasswordPayload {
  @Field(() => User, { description: 'You, signed in with the new password.' })
  user!: User;
}

@InputType({ description: 'Your profile as it should be.' })
export class UpdateProfileInput {
  @Field({ description: 'Your name, 1 to 100 characters.' })
  name!: string;
}

@ObjectType({ description: 'The result of `updateProfile`.' })
export class UpdateProfilePayload {
  @Field(() => User, { description: 'You, as you are now.' })
  user!: User;
}

@InputType({ description: 'Your current password and the new one.' })
export class ChangePasswordInput {
  @Field({ description: 'Your current password.' })
  currentPassword!: string;

  @Field({ description: 'The new password, 10 to 200 characters.' })
  newPassword!: string;
}

@ObjectType({ description: 'The result of `changePassword`.' })
export class ChangePasswordPayload {
  @Field(() => User, { description: 'You.' })
  user!: User;
}

@InputType({ description: 'A new personal access token.' })
export class CreatePersonalAccessTokenInput {
  @Field({ description: 'What the token is for, 1 to 100 characters.' })
  name!: string;

  @Field(() => [PatScope], { description: 'What the token may do (at least one).' })
  scopes!: PatScope[];

  @Field(() => Int, { nullable: true, description: '1 to 365.' })
  expiresInDays?: number | null;
}

@ObjectType({ description: 'What a fine-grained token may do in one area.' })
export class TokenPermission {
  @Field(() => TokenArea, { description: 'The area of the API.' })
  area!: TokenArea;

  @Field(() => TokenAccess, { description: 'What the token may do there.' })
  level!: TokenAccess;
}

@ObjectType({ description: 'The result of `createPersonalAccessToken`: the token, shown once.' })
export class CreatePersonalAccessTokenPayload {
  @Field({ description: 'The secret token. It is shown here once and cannot be read again.' })
  token!: string;

  @Field(() => PersonalAccessToken, { description: 'The new token, without its secret.' })
  personalAccessToken!: PersonalAccessToken;
}

@InputType({ description: 'The token to revoke.' })
export class RevokePersonalAccessTokenInput {
  @Field(() => ID, { description: 'One of your tokens.' })
  id!: string;
}

@ObjectType({ description: 'The result of `revokePersonalAccessToken`.' })
export class RevokePersonalAccessTokenPayload {
  @Field(() => PersonalAccessToken, { description: 'The token, now revoked.' })
  personalAccessToken!: PersonalAccessToken;
}
