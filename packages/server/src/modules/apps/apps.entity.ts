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
  valuesConfig: {
    READ: { description: 'Read only.' },
    READ_WRITE: { description: 'Read and write.' },
    READ_WRITE_DM: { description: 'Read, write and send direct messages.' },
  },
});

export enum AppStatus {
  PENDING = 'PENDING',
  ACTIVE = 'ACTIVE',
  REJECTED = 'REJECTED',
  SUSPENDED = 'SUSPENDED',
}
registerEnumType(AppStatus, {
  name: 'AppStatus',
  description: 'Where an app is in its life; its credentials work only while it is ACTIVE.',
  valuesConfig: {
    PENDING: { description: 'A request for products waits for staff review.' },
    ACTIVE: {
      description: 'Live: something was approved, or nothing waits for review.',
    },
    REJECTED: { description: 'Everything the app asked for was rejected.' },
    SUSPENDED: {
      description: 'Staff suspended the app: its credentials stop working until they lift it.',
    },
  },
});

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

  @Field({
    description:
      "The app's name: 1 to 50 characters, unique among the live apps of its organization.",
  })
  @Property({ type: 'text' })
  name: string;

  @Field({ description: 'What the app does, in at most 2,000 characters; empty when not given.' })
  @Property({ type: 'text' })
  description: string = '';

  @Field(() => String, {
    nullable: true,
    description: "The app's website (http or https); null when not given.",
  })
  @Property({ type: 'text', nullable: true })
  websiteUrl: string | null = null;

  @Field(() => [String], {
    description:
      'Where OAuth may send users back after they sign in: at most 10, https (http only for localhost and 127.0.0.1).',
  })
  @Property({ type: 'text[]' })
  callbackUrls: string[] = [];

  @Field(() => String, {
    nullable: true,
    description: "The app's terms of service (http or https); null when not given.",
  })
  @Property({ type: 'text', nullable: true })
  termsOfServiceUrl: string | null = null;

  @Field(() => String, {
    nullable: true,
    description: "The app's privacy policy (http or https); null when not given.",
  })
  @Property({ type: 'text', nullable: true })
  privacyPolicyUrl: string | null = null;

  @Field(() => String, {
    nullable: true,
    description:
      'The name of the company behind the app, as users see it (at most 200 characters); null when not given.',
  })
  @Property({ type: 'text', nullable: true })
  organizationName: string | null = null;

  @Field(() => String, {
    nullable: true,
    description: 'The website of the company behind the app; null when not given.',
  })
  @Property({ type: 'text', nullable: true })
  organizationUrl: string | null = null;

  @Field({
    description:
      'How the app will use the APIs, for reviewers (at most 2,000 characters); empty when not given.',
  })
  @Property({ type: 'text' })
  useCase: string = '';

  @Field(() => String, {
    nullable: true,
    description: "The URL of the app's icon (http or https); null when it has none.",
  })
  @Property({ type: 'text', nullable: true })
  iconUrl: string | null = null;

  @Field(() => PermissionLevel, { description: 'What the app may do with the APIs.' })
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

  @Field(() => AppStatus, {
    description: 'Where the app is in its life; its credentials work only while it is ACTIVE.',
  })
  @Enum({ items: () => AppStatus, nativeEnumName: 'app_status' })
  status: AppStatus = AppStatus.ACTIVE;

  @Field(() => String, {
    nullable: true,
    description:
      'Why staff gave the app its status (e.g. why it was suspended); null when it is ACTIVE or no reason was given.',
  })
  @Property({ type: 'text', nullable: true })
  statusReason: string | null = null;

  @ManyToOne(() => User, { ref: true, nullable: true, deleteRule: 'set null' })
  statusSetBy: Ref<User> | null = null;

  @Field({ description: 'When the app was last changed.' })
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
