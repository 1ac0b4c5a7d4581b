import { Entity, Property } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { BaseEntity } from '../../db/base.entity.js';
import { Node } from '../../graphql/node.types.js';

/** Mail kept when no SMTP server is configured, for staff to read in the web app. */
@ObjectType({ implements: Node })
@Entity()
export class MailMessage extends BaseEntity {
  @Field()
  @Property({ type: 'text' })
  to: string;

  @Field()
  @Property({ type: 'text' })
  subject: string;

  @Field()
  @Property({ type: 'text' })
  text: string;

  constructor(to: string, subject: string, text: string) {
    super('mail');
    this.to = to;
    this.subject = subject;
    this.text = text;
  }
}
