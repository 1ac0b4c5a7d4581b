import { Ctx, Field, Int, ObjectType, Query, Resolver } from 'type-graphql';
import { Access } from '../auth/access.js';
import type { Context } from '../context.js';

@ObjectType({
  description:
    "The caller's query cost budget: every operation's cost is worked out before it runs and spent from an hourly budget per personal access token, session or anonymous address. Every answer also carries it in `extensions.cost`.",
})
export class RateLimit {
  @Field(() => Int, { description: 'What this operation cost.' })
  cost!: number;

  @Field(() => Int, { description: 'The budget per hour.' })
  limit!: number;

  @Field(() => Int, { description: 'What is left of the budget after this operation.' })
  remaining!: number;

  @Field(() => Date, { description: 'When the budget is whole again.' })
  resetAt!: Date;
}

@Resolver()
export class RateLimitResolver {
  @Access('PUBLIC')
  @Query(() => RateLimit, {
    nullable: true,
    description:
      "The caller's query cost budget, as of this operation (null when budgets cannot be read right now).",
  })
  rateLimit(@Ctx() ctx: Context): RateLimit | null {
    return ctx.cost ?? null;
  }
}
