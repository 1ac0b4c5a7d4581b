import { ArgsType, Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { ConnectionType, PageArgs } from '../../graphql/connection.js';
import { Notification } from './notifications.entity.js';

/** `NotificationConnection`: the viewer's notifications, newest first. */
export const NotificationConnection = ConnectionType(Notification, 'Notification');

@ArgsType()
export class NotificationsArgs extends PageArgs {
  @Field(() => Boolean, { nullable: true, description: 'Only the unread ones.' })
  unreadOnly?: boolean | null;
}

@InputType({ description: 'Either `ids` (at most 100 of your notifications) or `all: true`.' })
export class MarkNotificationsReadInput {
  @Field(() => [ID], {
    nullable: true,
    description: 'Your notifications to mark read (at most 100).',
  })
  ids?: string[] | null;

  @Field(() => Boolean, { nullable: true, description: 'Marks every unread notification read.' })
  all?: boolean | null;
}

@ObjectType({ description: 'The result of `markNotificationsRead`.' })
export class MarkNotificationsReadPayload {
  @Field(() => Int, { description: 'How many were unread and are now read.' })
  markedCount!: number;

  @Field(() => [Notification], {
    description: 'The notifications named by `ids` (empty for `all`).',
  })
  notifications!: Notification[];

  @Field(() => Int, { description: 'How many of your notifications are still unread.' })
  unreadNotificationCount!: number;
}
