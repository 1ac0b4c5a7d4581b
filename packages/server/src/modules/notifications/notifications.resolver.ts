import { Arg, Args, Ctx, FieldResolver, Int, Mutation, Resolver, Root } from 'type-graphql';
import { Access } from '../../auth/access.js';
import type { Context } from '../../context.js';
import type { Connection } from '../../graphql/connection.js';
import { User } from '../accounts/accounts.entity.js';
import type { Notification } from './notifications.entity.js';
import {
  markNotificationsRead,
  notificationsOf,
  unreadNotificationCount,
} from './notifications.service.js';
import {
  MarkNotificationsReadInput,
  MarkNotificationsReadPayload,
  NotificationConnection,
  NotificationsArgs,
} from './notifications.types.js';

@Resolver(() => User)
export class UserNotificationsResolver {
  @FieldResolver(() => NotificationConnection, {
    description: 'Your in-app notifications, newest first; empty for anyone else.',
  })
  async notifications(
    @Root() user: User,
    @Args() args: NotificationsArgs,
    @Ctx() ctx: Context,
  ): Promise<Connection<Notification>> {
    return notificationsOf(ctx, user, args);
  }

  @FieldResolver(() => Int, {
    description: 'How many of your notifications are unread; 0 for anyone else.',
  })
  async unreadNotificationCount(@Root() user: User, @Ctx() ctx: Context): Promise<number> {
    return unreadNotificationCount(ctx, user);
  }

  @Access('SIGNED_IN')
  @Mutation(() => MarkNotificationsReadPayload, {
    description: 'Marks some of your notifications (`ids`) or all of them (`all: true`) read.',
  })
  async markNotificationsRead(
    @Arg('input', { description: 'Which notifications to mark read.' })
    input: MarkNotificationsReadInput,
    @Ctx() ctx: Context,
  ): Promise<MarkNotificationsReadPayload> {
    return markNotificationsRead(ctx, input);
  }
}
