import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import { Access } from '../auth/access.js';
import type { Context } from '../context.js';
import { Node } from './node.types.js';
import { findNode } from './node.service.js';

@Resolver()
export class NodeResolver {
  @Access('SIGNED_IN')
  @Query(() => Node, {
    nullable: true,
    description: 'Any object by its id, or null when it does not exist or you cannot see it.',
  })
  async node(
    @Arg('id', () => ID, { description: 'The id of any object that implements `Node`.' })
    id: string,
    @Ctx() ctx: Context,
  ): Promise<Node | null> {
    return findNode(ctx, id);
  }
}
