import { Entity, Enum, Index, Property } from '@mikro-orm/core';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { BaseEntity } from '../../db/base.entity.js';
import { Node } from '../../graphql/node.types.js';

export enum MailStatus {
  PENDING = 'PENDING',
  SENT = 'SENT',
  FAILED = 'FAILED',
  KEPT = 'KEPT',
}
registerEnumType(MailStatus, {
  name: 'MailStatus',
  description:
    'PENDING waits for its (next) sending attempt; SENT was accepted by the SMTP server; FAILED was given up after the last attempt; KEPT was not sent because no SMTP server is configured, and is kept for staff to read.',
  valuesConfig: {
    PENDING: { description: 'Waits for its (next) sending attempt.' },
    SENT: { description: 'The SMTP server accepted it.' },
    FAILED: { description: 'Given up after the last attempt failed.' },
    KEPT: { description: 'Not sent, as no SMTP server is configured; kept for staff to read.' },
  },
});

/**
 * The outbox: every mail the portal sends, written in the transaction of the change that
 * causes it, with its delivery state. Without SMTP it is KEPT for staff to read; with SMTP it
 * is PENDING until the delivery job sends it (or gives up).
 */
@ObjectType({
  implements: Node,
  description: 'A mail the portal sent, is sending, or kept (no SMTP server); staff read them.',
})
@Entity()
@Index({
  name: 'mail_message_due',
  expression:
    'create index "mail_message_due" on "mail_message" ("next_attempt_at", "id") where "status" = \'PENDING\'',
})
export class MailMessage extends BaseEntity {
  @Field({ description: "The recipient's email address." })
  @Property({ type: 'text' })
  to: string;

  @Field({ description: 'The subject line.' })
  @Property({ type: 'text' })
  subject: string;

  @Field({
    description:
      'The plain-text body. Emptied once the mail is sent: it may hold one-time links that nobody else should read.',
  })
  @Property({ type: 'text' })
  text: string;

  @Field(() => MailStatus, { description: "Where the mail's delivery stands." })
  @Enum({ items: () => MailStatus, nativeEnumName: 'mail_status' })
  status: MailStatus;

  @Field(() => Int, { description: 'Sending attempts made so far.' })
  @Property({ type: 'integer' })
  attempts = 0;

  @Field(() => Date, {
    nullable: true,
    description: 'When a PENDING mail is (next) tried; null once it is no longer pending.',
  })
  @Property({ type: 'timestamptz', nullable: true })
  nextAttemptAt: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the SMTP server accepted the mail.' })
  @Property({ type: 'timestamptz', nullable: true })
  sentAt: Date | null = null;

  @Field(() => String, {
    nullable: true,
    description:
      'Why the last attempt failed: the error name and code (e.g. `Error EENVELOPE 550`), never its message.',
  })
  @Property({ type: 'text', nullable: true })
  lastError: string | null = null;

  constructor(to: string, subject: string, text: string, status: MailStatus, now = new Date()) {
    super('mail');
    this.to = to;
    this.subject = subject;
    this.text = text;
    this.status = status;
    this.createdAt = now;
    this.nextAttemptAt = status === MailStatus.PENDING ? now : null;
  }
}
