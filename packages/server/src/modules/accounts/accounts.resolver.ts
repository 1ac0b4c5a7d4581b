import { Arg, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { Access } from '../../auth/access.js';
import type { Context } from '../../context.js';
import { User } from './accounts.entity.js';
import { createUser, signIn, signOut, startSession } from './accounts.service.js';
import {
  SignInInput,
  SignInPayload,
  SignOutPayload,
  SignUpInput,
  SignUpPayload,
} from './accounts.types.js';

@Resolver(() => User)
export class AccountsResolver {
  @Access('PUBLIC')
  @Query(() => User, { nullable: true, description: 'The signed-in user, or null.' })
  viewer(@Ctx() ctx: Context): User | null {
    return ctx.viewer?.user ?? null;
  }

  @Access('PUBLIC')
  @Mutation(() => SignUpPayload, {
    description: 'Creates an account and signs in; a verification link is sent by email.',
  })
  async signUp(@Arg('input') input: SignUpInput, @Ctx() ctx: Context): Promise<SignUpPayload> {
    const user = await ctx.em.transactional(async (em) => {
      const created = await createUser(em, input);
      await startSession(ctx, em, created);
      return created;
    });
    return { user };
  }

  @Access('PUBLIC')
  @Mutation(() => SignInPayload)
  async signIn(@Arg('input') input: SignInInput, @Ctx() ctx: Context): Promise<SignInPayload> {
    return { user: await signIn(ctx, input) };
  }

  @Access('PUBLIC')
  @Mutation(() => SignOutPayload)
  async signOut(@Ctx() ctx: Context): Promise<SignOutPayload> {
    await signOut(ctx);
    return { signedOut: true };
  }
}
