import { Entity, Index, ManyToOne, Property, type Ref } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { BaseEntity } from '../../db/base.entity.js';
import { Organization } from '../orgs/orgs.entity.js';
import { Node } from '../../graphql/node.types.js';

@ObjectType({ implements: Node, description: 'Groups the apps of one use case.' })
@Entity()
@Index({ properties: ['organization', 'createdAt'] })
export class Project extends BaseEntity {
  @ManyToOne(() => Organization, { ref: true, deleteRule: 'cascade' })
  organization: Ref<Organization>;

  @Field()
  @Property({ type: 'text' })
  name: string;

  @Field()
  @Property({ type: 'text' })
  description: string = '';

  @Field()
  @Property({ type: 'text' })
  useCase: string = '';

  @Field()
  @Property({ type: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Date = new Date();

  constructor(organization: Ref<Organization>, name: string) {
    super('prj');
    this.organization = organization;
    this.name = name;
  }
}
