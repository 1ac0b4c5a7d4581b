import { Entity, Enum, Index, ManyToOne, Property, Unique, type Ref } from '@mikro-orm/core';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { BaseEntity } from '../../db/base.entity.js';
import { User } from '../accounts/accounts.entity.js';
import { Node } from '../../graphql/node.types.js';

export enum ApplicationStatus {
  PENDING = 'PENDING',
  QUESTION = 'QUESTION',
  APPROVED = 'APPROVED',
  REJECTED = 'REJECTED',
  CLOSED = 'CLOSED',
}
registerEnumType(ApplicationStatus, {
  name: 'ApplicationStatus',
  description: 'QUESTION: staff asked and await an answer; CLOSED: unanswered for 14 days.',
  valuesConfig: {
    PENDING: { description: 'Waits for staff.' },
    QUESTION: { description: 'Staff asked a question and wait for the answer.' },
    APPROVED: { description: 'Approved: the applicant may create apps.' },
    REJECTED: { description: 'Rejected, with a reason; the applicant may apply again.' },
    CLOSED: {
      description:
        'Closed because a question went unanswered for 14 days; the applicant may apply again.',
    },
  },
});

/** At most one open (PENDING or QUESTION) application per user, settled by the database. */
export const OPEN_APPLICATION_INDEX = 'developer_application_open_unique';

/** A user's application for a developer account, with a detailed use case. */
@ObjectType({
  implements: Node,
  description: "A user's application for a developer account, which they need to create apps.",
})
@Entity()
@Index({ properties: ['user', 'createdAt'] })
@Index({ properties: ['status', 'createdAt'] })
@Unique({
  name: OPEN_APPLICATION_INDEX,
  expression: `create unique index "${OPEN_APPLICATION_INDEX}" on "developer_application" ("user_id") where "status" in ('PENDING', 'QUESTION')`,
})
export class DeveloperApplication extends BaseEntity {
  @ManyToOne(() => User, { ref: true, deleteRule: 'cascade' })
  user: Ref<User>;

  @Field({ description: 'What the applicant will build with the APIs (50 to 5,000 characters).' })
  @Property({ type: 'text' })
  useCase: string;

  @Field(() => String, {
    nullable: true,
    description:
      'The company the applicant builds for (at most 200 characters); null when not given.',
  })
  @Property({ type: 'text', nullable: true })
  companyName: string | null = null;

  @Field(() => ApplicationStatus, { description: 'Where the application stands.' })
  @Enum({ items: () => ApplicationStatus, nativeEnumName: 'application_status' })
  status: ApplicationStatus = ApplicationStatus.PENDING;

  @ManyToOne(() => User, { ref: true, nullable: true, deleteRule: 'set null' })
  decidedBy: Ref<User> | null = null;

  @Field(() => Date, {
    nullable: true,
    description: 'When staff approved or rejected it, or it was closed; null while open.',
  })
  @Property({ type: 'timestamptz', nullable: true })
  decidedAt: Date | null = null;

  @Field(() => String, {
    nullable: true,
    description: 'Why it was rejected (or closed), as shown to the applicant; null otherwise.',
  })
  @Property({ type: 'text', nullable: true })
  reason: string | null = null;

  @Field(() => Date, { nullable: true, description: 'When the open question was asked.' })
  @Property({ type: 'timestamptz', nullable: true })
  questionAskedAt: Date | null = null;

  @Field({ description: 'When the application last changed.' })
  @Property({ type: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Date = new Date();

  constructor(user: Ref<User>, useCase: string) {
    super('dap');
    this.user = user;
    this.useCase = useCase;
  }
}

/** A message in an application's thread: a staff question or the applicant's answer. */
@ObjectType({
  implements: Node,
  description: "A message in an application's thread: a staff question or the applicant's answer.",
})
@Entity()
@Index({ properties: ['application', 'createdAt'] })
export class ApplicationMessage extends BaseEntity {
  @ManyToOne(() => DeveloperApplication, { ref: true, deleteRule: 'cascade' })
  application: Ref<DeveloperApplication>;

  @ManyToOne(() => User, { ref: true, nullable: true, deleteRule: 'set null' })
  author: Ref<User> | null;

  @Field({ description: 'Whether staff wrote it (a question) or the applicant (an answer).' })
  @Property({ type: 'boolean' })
  fromStaff: boolean;

  @Field({ description: 'The message text (1 to 5,000 characters).' })
  @Property({ type: 'text' })
  body: string;

  constructor(
    application: Ref<DeveloperApplication>,
    author: Ref<User> | null,
    fromStaff: boolean,
    body: string,
  ) {
    super('dam');
    this.application = application;
    this.author = author;
    this.fromStaff = fromStaff;
    this.body = body;
  }
}
