import { ArgsType, Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { ConnectionType, PageArgs } from '../../graphql/connection.js';
import { ApplicationStatus, DeveloperApplication } from './applications.entity.js';

export enum ApplicationDecision {
  APPROVE = 'APPROVE',
  REJECT = 'REJECT',
}
registerEnumType(ApplicationDecision, {
  name: 'ApplicationDecision',
  description: 'What staff decide on a developer account application.',
  valuesConfig: {
    APPROVE: { description: 'The applicant may create apps.' },
    REJECT: { description: 'Refuse the application; a reason is required.' },
  },
});

@InputType({ description: 'An application for a developer account.' })
export class ApplyForDeveloperAccountInput {
  @Field({
    description:
      'What you will build with the APIs, in detail: 50 to 5000 characters, at least 8 words.',
  })
  useCase!: string;

  @Field(() => String, { nullable: true, description: 'At most 200 characters.' })
  companyName?: string | null;
}

@ObjectType({ description: 'The result of `applyForDeveloperAccount`.' })
export class ApplyForDeveloperAccountPayload {
  @Field(() => DeveloperApplication, { description: 'The new application, PENDING.' })
  application!: DeveloperApplication;
}

@InputType({ description: 'A question for the applicant.' })
export class AskApplicationQuestionInput {
  @Field(() => ID, { description: 'An open (PENDING or QUESTION) application.' })
  applicationId!: string;

  @Field({ description: '1 to 5000 characters.' })
  body!: string;
}

@ObjectType({ description: 'The result of `askApplicationQuestion`.' })
export class AskApplicationQuestionPayload {
  @Field(() => DeveloperApplication, { description: 'The application, now QUESTION.' })
  application!: DeveloperApplication;
}

@InputType({ description: "The applicant's answer to the open question." })
export class AnswerApplicationQuestionInput {
  @Field(() => ID, { description: 'Your application with an open question.' })
  applicationId!: string;

  @Field({ description: '1 to 5000 characters.' })
  body!: string;
}

@ObjectType({ description: 'The result of `answerApplicationQuestion`.' })
export class AnswerApplicationQuestionPayload {
  @Field(() => DeveloperApplication, { description: 'The application, PENDING again.' })
  application!: DeveloperApplication;
}

@InputType({ description: 'The decision on an open application.' })
export class DecideApplicationInput {
  @Field(() => ID, { description: 'An open (PENDING or QUESTION) application.' })
  applicationId!: string;

  @Field(() => ApplicationDecision, { description: 'Approve or reject.' })
  decision!: ApplicationDecision;

  @Field(() => String, {
    nullable: true,
    description: 'Shown to the applicant. Required to reject; at most 2000 characters.',
  })
  reason?: string | null;
}

@ObjectType({ description: 'The result of `decideApplication`.' })
export class DecideApplicationPayload {
  @Field(() => DeveloperApplication, { description: 'The application, now APPROVED or REJECTED.' })
  application!: DeveloperApplication;
}

@ArgsType()
export class DeveloperApplicationsArgs extends PageArgs {
  @Field(() => ApplicationStatus, { nullable: true, description: 'Only applications in it.' })
  status?: ApplicationStatus | null;
}

export const DeveloperApplicationConnection = ConnectionType(
  DeveloperApplication,
  'DeveloperApplication',
);
