import { Entity, ManyToOne, Property, type Ref } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { BaseEntity } from '../../db/base.entity.js';
import { User } from '../accounts/accounts.entity.js';
import { Node } from '../../graphql/node.types.js';

/** Prefix of gateway tokens: `pgw_<32 base62><6 base62 CRC32>`. */
export const GATEWAY_TOKEN_PREFIX = 'pgw';

/**
 * A token a gateway uses to report usage (`POST /v1/usage`). Staff create and revoke them;
 * the token is shown once and only its SHA-256 and last four characters are stored.
 */
@ObjectType({ implements: Node, description: 'A token a gateway uses to report usage.' })
@Entity()
export class GatewayToken extends BaseEntity {
  @Field({ description: 'What the gateway is, e.g. "edge NGINX eu-west".' })
  @Property({ type: 'text' })
  name: string;

  @Property({ type: 'text', unique: true, hidden: true })
  tokenHash: string;

  @Field({ description: 'The last four characters of the token, to recognise it.' })
  @Property({ type: 'text' })
  lastFour: string;

  @ManyToOne(() => User, { ref: true, nullable: true, deleteRule: 'set null' })
  createdBy: Ref<User> | null;

  @Field(() => Date, {
    nullable: true,
    description:
      'When a gateway last reported with it (written in batches, so it may lag a little); null if never used.',
  })
  @Property({ type: 'timestamptz', nullable: true })
  lastUsedAt: Date | null = null;

  @Field(() => Date, { nullable: true, description: 'When staff revoked it; null while it works.' })
  @Property({ type: 'timestamptz', nullable: true })
  revokedAt: Date | null = null;

  @ManyToOne(() => User, { ref: true, nullable: true, deleteRule: 'set null' })
  revokedBy: Ref<User> | null = null;

  constructor(name: string, tokenHash: string, lastFour: string, createdBy: Ref<User> | null) {
    super('gwt');
    this.name = name;
    this.tokenHash = tokenHash;
    this.lastFour = lastFour;
    this.createdBy = createdBy;
  }
}
