import { Entity, Enum, Index, ManyToOne, Property, Unique, type Ref } from '@mikro-orm/core';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { BaseEntity } from '../../db/base.entity.js';
import { User } from '../accounts/accounts.entity.js';
import { Organization } from '../orgs/orgs.entity.js';
import { Project } from '../projects/projects.entity.js';
import { Node } from '../../graphql/node.types.js';

export enum PermissionLevel {
  READ = 'READ',
  READ_WRITE = 'READ_WRITE',
  READ_WRITE_DM = 'READ_WRITE_DM',
}
registerEnumType(PermissionLevel, {
  name: 'PermissionLevel',
  description: 'What the app may do: read; read and write; read, write and direct messages.',
});

export enum AppStatus {
  PENDING = 'PENDING',
  ACTIVE = 'ACTIVE',
  REJECTED = 'REJECTED',
  SUSPENDED = 'SUSPENDED',
}
registerEnumType(AppStatus, { name: 'AppStatus' });

export interface CustomAttribute {
  key: string;
  value: string;
}

@ObjectType({ implements: Node, description: 'An application that calls the APIs.' })
@Entity()
@Index({ properties: ['organization', 'createdAt'] })
@Index({ properties: ['project'] })
@Index({ name: 'app_owner_index', properties: ['owner'] })
@Index({
  name: 'app_status_index',
  expression: 'create index "app_status_index" on "app" ("status") where "deleted_at" is null',
})
@Unique({
  name: 'app_org_name_live_unique',
  expression:
    'create unique index "app_org_name_live_unique" on "app" ("organization_id", lower("name")) where "deleted_at" is null',
})
export class App extends BaseEntity {
  @ManyToOne(() => Organization, { ref: true, deleteRule: 'cascade' })
  organization: Ref<Organization>;

  @ManyToOne(() => Project, { ref: true, nullable: true, deleteRule: 'restrict' })
  project: Ref<Project> | null;

  @ManyToOne(() => User, { ref: true, deleteRule: 'restrict' })
  owner: Ref<User>;

  @Field()
  @Property({ type: 'text' })
  name: string;

  @Field()
  @Property({ type: 'text' })
  description: string = '';

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  websiteUrl: string | null = null;

  @Field(() => [String])
  @Property({ type: 'text[]' })
  callbackUrls: string[] = [];

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  termsOfServiceUrl: string | null = null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  privacyPolicyUrl: string | null = null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  organizationName: string | null = null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  organizationUrl: string | null = null;

  @Field()
  @Property({ type: 'text' })
  useCase: string = '';

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  iconUrl: string | null = null;

  @Field(() => PermissionLevel)
  @Enum({ items: () => PermissionLevel, nativeEnumName: 'permission_level' })
  permissionLevel: PermissionLevel = PermissionLevel.READ;

  @Field({ description: '3-legged OAuth (sign in on behalf of users).' })
  @Property({ type: 'boolean' })
  threeLeggedOAuth: boolean = false;

  @Field({ description: 'Request the email address of users who sign in.' })
  @Property({ type: 'boolean' })
  requestEmail: boolean = false;

  @Property({ type: 'jsonb' })
  attributes: CustomAttribute[] = [];

  @Field(() => AppStatus)
  @Enum({ items: () => AppStatus, nativeEnumName: 'app_status' })
  status: AppStatus = AppStatus.ACTIVE;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  statusReason: string | null = null;

  @ManyToOne(() => User, { ref: true, nullable: true, deleteRule: 'set null' })
  statusSetBy: Ref<User> | null = null;

  @Field()
  @Property({ type: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Date = new Date();

  @Property({ type: 'timestamptz', nullable: true })
  deletedAt: Date | null = null;

  @ManyToOne(() => User, { ref: true, nullable: true, deleteRule: 'set null' })
  deletedBy: Ref<User> | null = null;

  @Property({ type: 'text', nullable: true })
  deleteReason: string | null = null;

  constructor(
    organization: Ref<Organization>,
    project: Ref<Project> | null,
    owner: Ref<User>,
    name: string,
  ) {
    super('app');
    this.organization = organization;
    this.project = project;
    this.owner = owner;
    this.name = name;
  }
}
