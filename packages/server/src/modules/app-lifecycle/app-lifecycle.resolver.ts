import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { Access } from '../../auth/access.js';
import type { Context } from '../../context.js';
import {
  CreateAppInput,
  CreateAppPayload,
  DeleteAppInput,
  DeleteAppPayload,
  SuspendAppInput,
  SuspendAppPayload,
  UnsuspendAppInput,
  UnsuspendAppPayload,
} from '../apps/apps.types.js';
import {
  DecideGrantsInput,
  DecideGrantsPayload,
  RequestProductsInput,
  RequestProductsPayload,
  WithdrawGrantRequestInput,
  WithdrawGrantRequestPayload,
} from '../grants/grants.types.js';
import {
  createApp,
  decideGrants,
  deleteApp,
  requestProducts,
  suspendApp,
  unsuspendApp,
  withdrawGrantRequest,
} from './app-lifecycle.service.js';

/** The mutations that move an app through its life (see app-lifecycle.transitions.ts). */
@Resolver()
export class AppLifecycleResolver {
  @Access('SIGNED_IN')
  @Mutation(() => CreateAppPayload, {
    description: 'Any member creates an app in their organization and becomes its owner.',
  })
  async createApp(
    @Arg('input', { description: 'The new app.' }) input: CreateAppInput,
    @Ctx() ctx: Context,
  ): Promise<CreateAppPayload> {
    return { app: await createApp(ctx, input) };
  }

  @Access('SIGNED_IN')
  @Mutation(() => DeleteAppPayload, {
    description:
      'The app owner or an organization admin. The app is kept as a tombstone for its history; its name can be used again.',
  })
  async deleteApp(
    @Arg('input', { description: 'The app to delete, and why.' }) input: DeleteAppInput,
    @Ctx() ctx: Context,
  ): Promise<DeleteAppPayload> {
    return { deletedAppId: await deleteApp(ctx, input) };
  }

  @Access('STAFF')
  @Mutation(() => SuspendAppPayload, {
    description:
      'Staff suspend a live app: its credentials stop working and the owner is told why (in-app and by email).',
  })
  async suspendApp(
    @Arg('input', { description: 'The app to suspend, and why.' }) input: SuspendAppInput,
    @Ctx() ctx: Context,
  ): Promise<SuspendAppPayload> {
    return { app: await suspendApp(ctx, input) };
  }

  @Access('STAFF')
  @Mutation(() => UnsuspendAppPayload, {
    description:
      'Staff lift a suspension: the app takes the status its product grants give it again.',
  })
  async unsuspendApp(
    @Arg('input', { description: 'The suspended app.' }) input: UnsuspendAppInput,
    @Ctx() ctx: Context,
  ): Promise<UnsuspendAppPayload> {
    return { app: await unsuspendApp(ctx, input) };
  }

  @Access('SIGNED_IN')
  @Mutation(() => RequestProductsPayload, {
    description:
      'The app owner or an organization admin asks for access to products; each is approved at once or waits for staff, by the product.',
  })
  async requestProducts(
    @Arg('input', { description: 'The app and the products.' }) input: RequestProductsInput,
    @Ctx() ctx: Context,
  ): Promise<RequestProductsPayload> {
    return requestProducts(ctx, input);
  }

  @Access('SIGNED_IN')
  @Mutation(() => WithdrawGrantRequestPayload, {
    description: 'The app owner or an organization admin takes back a pending request.',
  })
  async withdrawGrantRequest(
    @Arg('input', { description: 'The pending request.' }) input: WithdrawGrantRequestInput,
    @Ctx() ctx: Context,
  ): Promise<WithdrawGrantRequestPayload> {
    return withdrawGrantRequest(ctx, input);
  }

  @Access('STAFF')
  @Mutation(() => DecideGrantsPayload, {
    description: 'Approves or rejects pending requests: all of them, or none when one cannot be.',
  })
  async decideGrants(
    @Arg('input', { description: 'The requests and the decision.' }) input: DecideGrantsInput,
    @Ctx() ctx: Context,
  ): Promise<DecideGrantsPayload> {
    return { grants: await decideGrants(ctx, input) };
  }
}
