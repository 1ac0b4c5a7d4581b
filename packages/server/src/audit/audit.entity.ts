import { Entity, Index, ManyToOne, Property, type Ref } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import { BaseEntity } from '../db/base.entity.js';
import { Node } from '../graphql/node.types.js';

/**
 * What an audit entry points at: an organization or a user, named by entity so that the
 * audit record, which every module writes, sits in the core below them all.
 */
export interface AuditSubject {
  readonly id: string;
}

/**
 * Append-only record of who did what to which target, when and from where. Never a secret.
 * The database refuses every UPDATE, DELETE and TRUNCATE of its table (a trigger).
 */
@ObjectType({
  implements: Node,
  description:
    'An append-only record of who did what to which object of an organization, when and from where; it never holds a secret.',
})
@Entity()
@Index({ properties: ['organization', 'createdAt'] })
@Index({ properties: ['targetId'] })
// The staff audit log search (modules/staff): by time, actor, action, and app.
@Index({ name: 'audit_entry_created_at_index', properties: ['createdAt', 'id'] })
@Index({ name: 'audit_entry_actor_created_at_index', properties: ['actor', 'createdAt'] })
@Index({ name: 'audit_entry_action_created_at_index', properties: ['action', 'createdAt'] })
@Index({
  name: 'audit_entry_data_app_id_index',
  expression:
    'create index "audit_entry_data_app_id_index" on "audit_entry" (("data" ->> \'appId\'))',
})
export class AuditEntry extends BaseEntity {
  @ManyToOne({ entity: 'Organization', ref: true, nullable: true, deleteRule: 'set null' })
  organization: Ref<AuditSubject> | null;

  @ManyToOne({ entity: 'User', ref: true, nullable: true, deleteRule: 'set null' })
  actor: Ref<AuditSubject> | null;

  @Field({ description: 'What was done, as `domain.verb`, e.g. `app.delete`.' })
  @Property({ type: 'text' })
  action: string;

  @Field({
    description:
      'The kind of object acted on, as its GraphQL type name (e.g. `App`, `Invitation`).',
  })
  @Property({ type: 'text' })
  targetType: string;

  @Field({ description: 'The id of the object acted on; the object may since have been deleted.' })
  @Property({ type: 'text' })
  targetId: string;

  @Field(() => GraphQLJSONObject, {
    description:
      'Details that depend on the action (e.g. the fields changed, the role given); never a secret.',
  })
  @Property({ type: 'jsonb' })
  data: Record<string, unknown>;

  @Field(() => String, {
    nullable: true,
    description: 'The client address of the request that did it; null when it is not known.',
  })
  @Property({ type: 'text', nullable: true })
  ip: string | null = null;

  @Field(() => String, {
    nullable: true,
    description: 'The `User-Agent` header of the request that did it; null when it was not sent.',
  })
  @Property({ type: 'text', nullable: true })
  userAgent: string | null = null;

  constructor(input: {
    organization: Ref<AuditSubject> | null;
    actor: Ref<AuditSubject> | null;
    action: string;
    targetType: string;
    targetId: string;
    data?: Record<string, unknown>;
    ip?: string | null;
    userAgent?: string | null;
  }) {
    super('aud');
    this.organization = input.organization;
    this.actor = input.actor;
    this.action = input.action;
    this.targetType = input.targetType;
    this.targetId = input.targetId;
    this.data = input.data ?? {};
    this.ip = input.ip ?? null;
    this.userAgent = input.userAgent ?? null;
  }
}
