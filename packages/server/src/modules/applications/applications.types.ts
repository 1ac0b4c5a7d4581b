import { ArgsType, Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { ConnectionType, PageArgs } from '../../graphql/connection.js';
import { ApplicationStatus, DeveloperApplication } from './applications.entity.js';

export enum ApplicationDecision {
  APPROVE = 'APPROVE',
  REJECT = 'REJECT',
}
registerEnumType(ApplicationDecision, { name: 'ApplicationDecision' });

@InputType()
export class ApplyForDeveloperAccountInput {
  @Field({
    description:
      'What you will build with the APIs, in detail: 50 to 5000 characters, at least 8 words.',
  })
  useCase!: string;

  @Field(() => String, { nullable: true, description: 'At most 200 characters.' })
  companyName?: string | null;
}

@ObjectType()
export class ApplyForDeveloperAccountPayload {
  @Field(() => DeveloperApplication)
  application!: DeveloperApplication;
}

@InputType()
export class AskApplicationQuestionInput {
  @Field(() => ID)
  applicationId!: string;

  @Field({ description: '1 to 5000 characters.' })
  body!: string;
}

@ObjectType()
export class AskApplicationQuestionPayload {
  @Field(() => DeveloperApplication)
  application!: DeveloperApplication;
}

@InputType()
export class AnswerApplicationQuestionInput {
  @Field(() => ID)
  applicationId!: string;

  @Field({ description: '1 to 5000 characters.' })
  body!: string;
}

@ObjectType()
export class AnswerApplicationQuestionPayload {
  @Field(() => DeveloperApplication)
  application!: DeveloperApplication;
}

@InputType()
export class DecideApplicationInput {
  @Field(() => ID)
  applicationId!: string;

  @Field(() => ApplicationDecision)
  decision!: ApplicationDecision;

  @Field(() => String, {
    nullable: true,
    description: 'Shown to the applicant. Required to reject; at most 2000 characters.',
  })
  reason?: string | null;
}

@ObjectType()
export class DecideApplicationPayload {
  @Field(() => DeveloperApplication)
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
