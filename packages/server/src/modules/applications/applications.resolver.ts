import { Arg, Args, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Access } from '../../auth/access.js';
import type { Context } from '../../context.js';
import type { Connection } from '../../graphql/connection.js';
import { User } from '../accounts/accounts.entity.js';
import { ApplicationMessage, DeveloperApplication } from './applications.entity.js';
import { canCreateApps } from './applications.gate.js';
import {
  answerApplicationQuestion,
  applicantOf,
  applyForDeveloperAccount,
  askApplicationQuestion,
  authorOf,
  autoCloseAt,
  deciderOf,
  decideApplication,
  developerApplicationOf,
  listDeveloperApplications,
  messagesOf,
} from './applications.service.js';
import {
  AnswerApplicationQuestionInput,
  AnswerApplicationQuestionPayload,
  ApplyForDeveloperAccountInput,
  ApplyForDeveloperAccountPayload,
  AskApplicationQuestionInput,
  AskApplicationQuestionPayload,
  DecideApplicationInput,
  DecideApplicationPayload,
  DeveloperApplicationConnection,
  DeveloperApplicationsArgs,
} from './applications.types.js';

@Resolver(() => DeveloperApplication)
export class DeveloperApplicationResolver {
  @Access('SIGNED_IN')
  @Mutation(() => ApplyForDeveloperAccountPayload, {
    description:
      'Applies for a developer account (needed to create apps). One open application at a time; after a rejection or closure you may apply again.',
  })
  async applyForDeveloperAccount(
    @Arg('input', { description: 'Your use case and company.' })
    input: ApplyForDeveloperAccountInput,
    @Ctx() ctx: Context,
  ): Promise<ApplyForDeveloperAccountPayload> {
    return { application: await applyForDeveloperAccount(ctx, input) };
  }

  @Access('SIGNED_IN')
  @Mutation(() => AnswerApplicationQuestionPayload, {
    description: 'The applicant answers the open question; the application is reviewed again.',
  })
  async answerApplicationQuestion(
    @Arg('input', { description: 'The application and your answer.' })
    input: AnswerApplicationQuestionInput,
    @Ctx() ctx: Context,
  ): Promise<AnswerApplicationQuestionPayload> {
    return { application: await answerApplicationQuestion(ctx, input) };
  }

  @Access('STAFF')
  @Mutation(() => AskApplicationQuestionPayload, {
    description:
      'Asks the applicant a question (again, if one is open: the 14 days start over). Unanswered for 14 days, the application is closed.',
  })
  async askApplicationQuestion(
    @Arg('input', { description: 'The application and the question.' })
    input: AskApplicationQuestionInput,
    @Ctx() ctx: Context,
  ): Promise<AskApplicationQuestionPayload> {
    return { application: await askApplicationQuestion(ctx, input) };
  }

  @Access('STAFF')
  @Mutation(() => DecideApplicationPayload, {
    description: 'Approves or rejects an open application (a reason is required to reject).',
  })
  async decideApplication(
    @Arg('input', { description: 'The application and the decision.' })
    input: DecideApplicationInput,
    @Ctx() ctx: Context,
  ): Promise<DecideApplicationPayload> {
    return { application: await decideApplication(ctx, input) };
  }

  @Access('STAFF')
  @Query(() => DeveloperApplicationConnection, {
    description: 'Developer account applications, newest first.',
  })
  async developerApplications(
    @Args() args: DeveloperApplicationsArgs,
    @Ctx() ctx: Context,
  ): Promise<Connection<DeveloperApplication>> {
    return listDeveloperApplications(ctx, args);
  }

  @FieldResolver(() => User, { description: 'The applicant.' })
  async user(@Root() application: DeveloperApplication, @Ctx() ctx: Context): Promise<User> {
    return applicantOf(ctx, application);
  }

  @FieldResolver(() => User, {
    nullable: true,
    description: 'The staff member who decided; shown to staff only.',
  })
  async decidedBy(
    @Root() application: DeveloperApplication,
    @Ctx() ctx: Context,
  ): Promise<User | null> {
    return deciderOf(ctx, application);
  }

  @FieldResolver(() => [ApplicationMessage], { description: 'The thread, oldest first.' })
  async messages(
    @Root() application: DeveloperApplication,
    @Ctx() ctx: Context,
  ): Promise<ApplicationMessage[]> {
    return messagesOf(ctx, application);
  }

  @FieldResolver(() => Date, {
    nullable: true,
    description: 'When the application closes unless its open question is answered.',
  })
  autoCloseAt(@Root() application: DeveloperApplication): Date | null {
    return autoCloseAt(application);
  }
}

@Resolver(() => ApplicationMessage)
export class ApplicationMessageResolver {
  @FieldResolver(() => User, {
    nullable: true,
    description: 'Who wrote it: staff see every author, the applicant only themselves.',
  })
  async author(@Root() message: ApplicationMessage, @Ctx() ctx: Context): Promise<User | null> {
    return authorOf(ctx, message);
  }
}

@Resolver(() => User)
export class UserDeveloperApplicationResolver {
  @FieldResolver(() => DeveloperApplication, {
    nullable: true,
    description: 'Your latest developer account application (null for other users).',
  })
  async developerApplication(
    @Root() user: User,
    @Ctx() ctx: Context,
  ): Promise<DeveloperApplication | null> {
    return developerApplicationOf(ctx, user);
  }

  @FieldResolver(() => Boolean, {
    nullable: true,
    description:
      'Whether you may create apps: staff, or your developer account application was approved (null for other users).',
  })
  async canCreateApps(@Root() user: User, @Ctx() ctx: Context): Promise<boolean | null> {
    if (ctx.viewer?.user.id !== user.id) return null;
    return canCreateApps(ctx, user);
  }
}
