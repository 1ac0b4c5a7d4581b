import { PrimaryKey, Property } from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';
import { newId, type IdPrefix } from '../ids.js';

@ObjectType()
export abstract class BaseEntity {
  @Field(() => ID, {
    description:
      'Its id: opaque, prefixed by its kind (e.g. `app_…`), stable for its whole life; `node(id:)` fetches it.',
  })
  @PrimaryKey({ type: 'text' })
  id: string;

  @Field({ description: 'When it was created.' })
  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  protected constructor(prefix: IdPrefix) {
    this.id = newId(prefix);
  }
}
