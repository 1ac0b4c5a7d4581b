import { Arg, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Access } from '../../auth/access.js';
import type { Context } from '../../context.js';
import { User } from './accounts.entity.js';
import { changePassword, signIn, signOut, signUp, updateProfile } from './accounts.service.js';
import { resendVerificationEmail, verifyEmail } from './email-verification.service.js';
import { requestPasswordReset, resetPassword } from './password-reset.service.js';
import {
  ChangePasswordInput,
  ChangePasswordPayload,
  RequestPasswordResetInput,
  RequestPasswordResetPayload,
  ResendVerificationEmailPayload,
  ResetPasswordInput,
  ResetPasswordPayload,
  SignInInput,
  SignInPayload,
  SignOutPayload,
  SignUpInput,
  SignUpPayload,
  UpdateProfileInput,
  UpdateProfilePayload,
  VerifyEmailInput,
  VerifyEmailPayload,
} from './accounts.types.js';

@Resolver(() => User)
export class AccountsResolver {
  @Access('PUBLIC')
  @Query(() => User, { nullable: true, description: 'The signed-in user, or null.' })
  viewer(@Ctx() ctx: Context): User | null {
    return ctx.viewer?.user ?? null;
  }

  @FieldResolver(() => Boolean, { description: 'Whether the email address has been verified.' })
  emailVerified(@Root() user: User): boolean {
    return user.emailVerifiedAt !== null;
  }

  @Access('PUBLIC')
  @Mutation(() => SignUpPayload, {
    description:
      'Signs up: the new account is activated, and signed in, by the link mailed to the address (verifyEmail). Answers the same when the address already has an account, which is mailed instead; nobody is signed in here.',
  })
  async signUp(
    @Arg('input', { description: 'Your email address, name and password.' }) input: SignUpInput,
    @Ctx() ctx: Context,
  ): Promise<SignUpPayload> {
    return { sent: await signUp(ctx, input), user: null };
  }

  @Access('PUBLIC')
  @Mutation(() => SignInPayload, {
    description:
      'Signs in with an email address and password and sets the session cookie; a wrong password, an unknown address and an account not activated yet all answer UNAUTHENTICATED.',
  })
  async signIn(
    @Arg('input', { description: 'Your email address and password.' }) input: SignInInput,
    @Ctx() ctx: Context,
  ): Promise<SignInPayload> {
    return { user: await signIn(ctx, input) };
  }

  @Access('PUBLIC')
  @Mutation(() => SignOutPayload, {
    description: 'Ends the current session and clears its cookie; its live streams end too.',
  })
  async signOut(@Ctx() ctx: Context): Promise<SignOutPayload> {
    await signOut(ctx);
    return { signedOut: true };
  }

  @Access('PUBLIC')
  @Mutation(() => VerifyEmailPayload, {
    description:
      'Verifies the email address with the token from the mailed link (once, 48 hours); the link of a sign-up also activates the account and signs in.',
  })
  async verifyEmail(
    @Arg('input', { description: 'The token from the link.' }) input: VerifyEmailInput,
    @Ctx() ctx: Context,
  ): Promise<VerifyEmailPayload> {
    return { user: await verifyEmail(ctx, input) };
  }

  @Access('SIGNED_IN')
  @Mutation(() => ResendVerificationEmailPayload, {
    description: 'Mails a new verification link; earlier links stop working.',
  })
  async resendVerificationEmail(@Ctx() ctx: Context): Promise<ResendVerificationEmailPayload> {
    return { sent: await resendVerificationEmail(ctx) };
  }

  @Access('PUBLIC')
  @Mutation(() => RequestPasswordResetPayload, {
    description: 'Mails a password reset link (valid 1 hour) if an account uses the address.',
  })
  async requestPasswordReset(
    @Arg('input', { description: 'The email address.' }) input: RequestPasswordResetInput,
    @Ctx() ctx: Context,
  ): Promise<RequestPasswordResetPayload> {
    return { sent: await requestPasswordReset(ctx, input) };
  }

  @Access('PUBLIC')
  @Mutation(() => ResetPasswordPayload, {
    description: 'Sets a new password from a reset link, signs out everywhere and signs in.',
  })
  async resetPassword(
    @Arg('input', { description: 'The token from the link and the new password.' })
    input: ResetPasswordInput,
    @Ctx() ctx: Context,
  ): Promise<ResetPasswordPayload> {
    return { user: await resetPassword(ctx, input) };
  }

  @Access('SIGNED_IN')
  @Mutation(() => UpdateProfilePayload, { description: 'Changes your name.' })
  async updateProfile(
    @Arg('input', { description: 'Your new name.' }) input: UpdateProfileInput,
    @Ctx() ctx: Context,
  ): Promise<UpdateProfilePayload> {
    return { user: await updateProfile(ctx, input) };
  }

  @Access('SESSION')
  @Mutation(() => ChangePasswordPayload, {
    description: 'Changes the password (the current one is checked); other sessions end.',
  })
  async changePassword(
    @Arg('input', { description: 'Your current and new passwords.' }) input: ChangePasswordInput,
    @Ctx() ctx: Context,
  ): Promise<ChangePasswordPayload> {
    return { user: await changePassword(ctx, input) };
  }
}
