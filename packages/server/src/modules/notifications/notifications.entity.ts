import { Entity, Index, ManyToOne, Property, type Ref } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { BaseEntity } from '../../db/base.entity.js';
import { User } from '../accounts/accounts.entity.js';
import { Node } from '../../graphql/node.types.js';

/** An in-app notification for one user. */
@ObjectType({ implements: Node, description: 'An in-app notification for one user.' })
@Entity()
@Index({ properties: ['user', 'createdAt'] })
export class Notification extends BaseEntity {
  @ManyToOne(() => User, { ref: true, deleteRule: 'cascade' })
  user: Ref<User>;

  @Field({ description: 'What happened, e.g. `grant.decided`, `app.submitted`.' })
  @Property({ type: 'text' })
  kind: string;

  @Field({ description: 'A one-line summary, to show as a heading.' })
  @Property({ type: 'text' })
  title: string;

  @Field({ description: 'The plain-text message.' })
  @Property({ type: 'text' })
  body: string;

  @Field(() => String, { nullable: true, description: 'Path in the web app to open.' })
  @Property({ type: 'text', nullable: true })
  link: string | null = null;

  @Field(() => Date, { nullable: true, description: 'When it was marked read; null while unread.' })
  @Property({ type: 'timestamptz', nullable: true })
  readAt: Date | null = null;

  constructor(user: Ref<User>, kind: string, title: string, body: string) {
    super('ntf');
    this.user = user;
    this.kind = kind;
    this.title = title;
    this.body = body;
  }
}
