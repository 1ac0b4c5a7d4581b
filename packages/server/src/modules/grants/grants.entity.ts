import { Entity, Enum, Index, ManyToOne, Property, type Ref } from '@mikro-orm/core';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { BaseEntity } from '../../db/base.entity.js';
import { User } from '../accounts/accounts.entity.js';
import { App } from '../apps/apps.entity.js';
import { Organization } from '../orgs/orgs.entity.js';
import { ApiProduct } from '../products/products.entity.js';
import { Node } from '../../graphql/node.types.js';

export enum GrantStatus {
  PENDING = 'PENDING',
  APPROVED = 'APPROVED',
  REJECTED = 'REJECTED',
  REVOKED = 'REVOKED',
  WITHDRAWN = 'WITHDRAWN',
}
registerEnumType(GrantStatus, {
  name: 'GrantStatus',
  description:
    'PENDING awaits staff; APPROVED gives access; REJECTED and REVOKED were refused or taken back by staff (or an automatic rule); WITHDRAWN was taken back by the requester (or the app was deleted).',
  valuesConfig: {
    PENDING: { description: 'Waits for staff.' },
    APPROVED: { description: 'The app has access to the product.' },
    REJECTED: { description: 'Refused, by staff or by an approval rule.' },
    REVOKED: { description: 'Approved once, then taken back by staff.' },
    WITHDRAWN: {
      description: 'Taken back by the requester before a decision, or the app was deleted.',
    },
  },
});

/**
 * An app's access to a product. A new request is a new row: history is kept, and at most
 * one row per app and product is PENDING or APPROVED at a time.
 */
@ObjectType({
  implements: Node,
  description:
    "An app's request for, and access to, one product; a new request is a new grant, so history is kept.",
})
@Entity()
@Index({ properties: ['app'] })
@Index({ properties: ['status', 'createdAt'] })
@Index({
  name: 'product_grant_live_unique',
  expression:
    'create unique index "product_grant_live_unique" on "product_grant" ("app_id", "product_id") where "status" in (\'PENDING\', \'APPROVED\')',
})
export class ProductGrant extends BaseEntity {
  @ManyToOne(() => Organization, { ref: true, deleteRule: 'cascade' })
  organization: Ref<Organization>;

  @ManyToOne(() => App, { ref: true, deleteRule: 'cascade' })
  app: Ref<App>;

  @ManyToOne(() => ApiProduct, { ref: true, deleteRule: 'cascade' })
  product: Ref<ApiProduct>;

  @ManyToOne(() => User, { ref: true, nullable: true, deleteRule: 'set null' })
  requestedBy: Ref<User> | null;

  @Field(() => GrantStatus, { description: 'Where the request stands.' })
  @Enum({ items: () => GrantStatus, nativeEnumName: 'grant_status' })
  status: GrantStatus = GrantStatus.PENDING;

  @ManyToOne(() => User, { ref: true, nullable: true, deleteRule: 'set null' })
  decidedBy: Ref<User> | null = null;

  @Field(() => Date, {
    nullable: true,
    description: 'When it was approved, rejected, revoked or withdrawn; null while PENDING.',
  })
  @Property({ type: 'timestamptz', nullable: true })
  decidedAt: Date | null = null;

  @Field(() => String, {
    nullable: true,
    description:
      'Why it was rejected, revoked or withdrawn, as shown to the app owner; null when none was given.',
  })
  @Property({ type: 'text', nullable: true })
  reason: string | null = null;

  @Field(() => String, {
    nullable: true,
    description:
      'For an automatic decision, the rule that made it: `AUTO`, or for a CONDITIONAL product `CONDITIONAL:` and the conditions met joined by `+` (e.g. `CONDITIONAL:requireVerifiedOrg+emailDomains`).',
  })
  @Property({ type: 'text', nullable: true })
  decidedByRule: string | null = null;

  @Field(() => [String], {
    description:
      'For a CONDITIONAL product, the conditions the request did not meet (why it waits for staff).',
  })
  @Property({ type: 'text[]' })
  unmetRules: string[] = [];

  constructor(
    organization: Ref<Organization>,
    app: Ref<App>,
    product: Ref<ApiProduct>,
    requestedBy: Ref<User> | null,
  ) {
    super('grt');
    this.organization = organization;
    this.app = app;
    this.product = product;
    this.requestedBy = requestedBy;
  }
}

/** A reusable reason staff pick when deciding. */
@ObjectType({
  implements: Node,
  description: 'A reusable reason staff pick when deciding requests.',
})
@Entity()
export class ReasonTemplate extends BaseEntity {
  @Field({ description: 'A short name staff pick the template by (1 to 100 characters).' })
  @Property({ type: 'text' })
  title: string;

  @Field({ description: 'The reason given to the app owner (1 to 2,000 characters).' })
  @Property({ type: 'text' })
  text: string;

  constructor(title: string, text: string) {
    super('rsn');
    this.title = title;
    this.text = text;
  }
}
