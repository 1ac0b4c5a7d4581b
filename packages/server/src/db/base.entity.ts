import { PrimaryKey, Property } from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';
import { newId, type IdPrefix } from '../ids.js';

@ObjectType()
export abstract class BaseEntity {
  @Field(() => ID)
  @PrimaryKey({ type: 'text' })
  id: string;

  @Field()
  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  protected constructor(prefix: IdPrefix) {
    this.id = newId(prefix);
  }
}
