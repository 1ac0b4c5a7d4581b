import type { EntityManager } from '@mikro-orm/postgresql';
import type { Context } from '../../context.js';
import { requireViewer } from '../../auth/permissions.js';
import { badInput, notFound } from '../../errors.js';
import { paginate, type Connection } from '../../graphql/connection.js';
import { publish } from '../../events/events.service.js';
import { PlatformRole } from '../../auth/roles.js';
import { User } from '../accounts/accounts.entity.js';
import type { MailMessage } from '../mail/mail.entity.js';
import { enqueueMail, publicLink, type OutgoingMail } from '../mail/mail.service.js';
import { Notification } from './notifications.entity.js';
import type { MarkNotificationsReadInput, NotificationsArgs } from './notifications.types.js';

export interface NotifyInput {
  userId: string;
  /** What happened, e.g. `grant.decided`, `app.submitted`. */
  kind: string;
  title: string;
  body: string;
  /** Path in the web app, e.g. `/orgs/org_x/apps/app_y`; the mail carries it as a full link. */
  link?: string | null;
  /**
   * The mail that goes with it: by default one built from title, body and link;
   * `false` for an in-app notification only; or a subject and text of its own.
   */
  mail?: false | { subject: string; text: string };
}

export interface Notified {
  notification: Notification;
  /** The mail put in the outbox in the same transaction (null when `mail: false`). */
  mail: MailMessage | null;
}

/**
 * Writes an in-app notification, publishes `notification.created` on `user:<userId>` and puts
 * its mail in the outbox, all in the transaction of `em`: nothing is seen or sent if it rolls
 * back, and the mail goes out once it commits.
 */
export async function notify(
  em: EntityManager,
  ctx: Context,
  input: NotifyInput,
): Promise<Notified> {
  const user = await em.findOne(User, { id: input.userId });
  if (!user) throw notFound('User', 'userId');
  const notification = new Notification(
    em.getReference(User, user.id, { wrapped: true }),
    input.kind,
    input.title,
    input.body,
  );
  notification.link = input.link ?? null;
  em.persist(notification);
  await publish(em, 'notification.created', {
    subjectId: notification.id,
    userId: user.id,
    kind: input.kind,
  });
  const mail = mailFor(ctx, user, input);
  return { notification, mail: mail ? await enqueueMail(em, ctx, mail) : null };
}

/** Notifies every staff member (e.g. `app.submitted`), in-app and by email. */
export async function notifyStaff(
  em: EntityManager,
  ctx: Context,
  input: Omit<NotifyInput, 'userId'>,
): Promise<Notified[]> {
  const staff = await em.find(
    User,
    { platformRole: PlatformRole.STAFF },
    { orderBy: { createdAt: 'asc', id: 'asc' } },
  );
  const notified: Notified[] = [];
  for (const user of staff) notified.push(await notify(em, ctx, { ...input, userId: user.id }));
  return notified;
}

function mailFor(ctx: Context, user: User, input: NotifyInput): OutgoingMail | null {
  if (input.mail === false) return null;
  if (input.mail) return { to: user.email, subject: input.mail.subject, text: input.mail.text };
  return {
    to: user.email,
    subject: input.title,
    text: [
      `Hi ${user.name},`,
      '',
      input.body,
      ...(input.link ? ['', 'Open it in Portico:', publicLink(ctx, input.link)] : []),
      '',
      'The Portico team',
      '',
    ].join('\n'),
  };
}

const EMPTY: Connection<Notification> = {
  edges: [],
  nodes: [],
  pageInfo: { hasNextPage: false, endCursor: null },
  totalCount: 0,
};

/** The viewer's own notifications, newest first; empty for anyone else. */
export async function notificationsOf(
  ctx: Context,
  user: User,
  args: NotificationsArgs,
): Promise<Connection<Notification>> {
  if (ctx.viewer?.user.id !== user.id) return EMPTY;
  return paginate(
    ctx.em,
    Notification,
    { user: user.id, ...(args.unreadOnly ? { readAt: null } : {}) },
    args,
    'desc',
  );
}

/** How many of the viewer's notifications are unread; 0 for anyone else. */
export async function unreadNotificationCount(ctx: Context, user: User): Promise<number> {
  if (ctx.viewer?.user.id !== user.id) return 0;
  return ctx.em.count(Notification, { user: user.id, readAt: null });
}

/** A notification for `node(id:)`: only its recipient sees it. */
export async function findNotification(ctx: Context, id: string): Promise<Notification | null> {
  if (!ctx.viewer) return null;
  return ctx.em.findOne(Notification, { id, user: ctx.viewer.user.id });
}

const MARK_READ_MAX = 100;

export interface MarkReadResult {
  markedCount: number;
  notifications: Notification[];
  unreadNotificationCount: number;
}

/** Marks the named notifications of the viewer (or all of them) read; others' ids are NOT_FOUND. */
export async function markNotificationsRead(
  ctx: Context,
  input: MarkNotificationsReadInput,
): Promise<MarkReadResult> {
  const viewer = requireViewer(ctx);
  const all = input.all === true;
  const ids = input.ids ?? [];
  if (all && ids.length) throw badInput('all', 'Give either ids or all, not both.');
  if (!all && !ids.length)
    throw badInput('ids', 'Name the notifications to mark read, or use all.');
  if (ids.length > MARK_READ_MAX) {
    throw badInput('ids', `Mark at most ${MARK_READ_MAX} notifications at once (or use all).`);
  }
  const userId = viewer.user.id;
  return ctx.em.transactional(async (em) => {
    const now = new Date();
    let markedCount: number;
    let notifications: Notification[] = [];
    if (all) {
      markedCount = await em.nativeUpdate(
        Notification,
        { user: userId, readAt: null },
        { readAt: now },
      );
    } else {
      notifications = await em.find(Notification, { id: { $in: ids }, user: userId });
      const found = new Set(notifications.map((n) => n.id));
      const missing = ids.findIndex((id) => !found.has(id));
      if (missing >= 0) throw notFound('Notification', `ids.${missing}`);
      markedCount = 0;
      for (const notification of notifications) {
        if (notification.readAt) continue;
        notification.readAt = now;
        markedCount++;
      }
      await em.flush();
    }
    const unread = await em.count(Notification, { user: userId, readAt: null });
    return { markedCount, notifications, unreadNotificationCount: unread };
  });
}
