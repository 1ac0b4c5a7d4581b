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

  @Field({ description: "The project's name, 1 to 50 characters." })
  @Property({ type: 'text' })
  name: string;

  @Field({
    description: 'What the project is for, at most 2,000 characters; empty when not given.',
  })
  @Property({ type: 'text' })
  description: string = '';

  @Field({
    description:
      "How the project's apps will use the APIs, at most 2,000 characters; empty when not given.",
  })
  @Property({ type: 'text' })
  useCase: string = '';

  @Field({ description: 'When the project was last changed.' })
  @Property({ type: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Date = new Date();

  constructor(organization: Ref<Organization>, name: string) {
    super('prj');
    this.organization = organization;
    this.name = name;
  }
}
