import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { requireViewer } from '../../auth/permissions.js';
import type { Context } from '../../context.js';
import { ErrorCode, PorticoError, conflict, forbidden, notFound } from '../../errors.js';
import { publish } from '../../events/events.service.js';
import { paginate, type Connection } from '../../graphql/connection.js';
import { parseInput } from '../../graphql/validation.js';
import { PlatformRole } from '../../auth/roles.js';
import { User } from '../accounts/accounts.entity.js';
import { recordAudit } from '../../audit/record.js';
import { loadReference } from '../../db/references.js';
import {
  ApplicationMessage,
  ApplicationStatus,
  DeveloperApplication,
  OPEN_APPLICATION_INDEX,
} from './applications.entity.js';
import { applicationLoaders } from './applications.loaders.js';
import {
  answeredNotice,
  approvedNotice,
  questionNotice,
  rejectedNotice,
  recordNotices,
  submittedNotice,
  type ApplicationNotice,
} from './applications.notices.js';
import {
  ApplicationDecision,
  type AnswerApplicationQuestionInput,
  type ApplyForDeveloperAccountInput,
  type AskApplicationQuestionInput,
  type DecideApplicationInput,
  type DeveloperApplicationsArgs,
} from './applications.types.js';
import { ApplySchema, DecideSchema, MessageSchema } from './applications.validation.js';
import { accountLoaders } from '../accounts/accounts.loaders.js';
import { mappingConstraintErrors } from '../../db/constraints.js';

/** Applications staff still have to act on (or wait on an answer for). */
export const OPEN_STATUSES: readonly ApplicationStatus[] = [
  ApplicationStatus.PENDING,
  ApplicationStatus.QUESTION,
];

/** An application whose question is unanswered for this long is closed. */
export const QUESTION_TIMEOUT_DAYS = 14;
const DAY_MS = 86_400_000;

function isStaff(ctx: Context): boolean {
  return ctx.viewer?.user.platformRole === PlatformRole.STAFF;
}

function isOpen(application: DeveloperApplication): boolean {
  return OPEN_STATUSES.includes(application.status);
}

/** When an application waiting on an answer is closed, or null when it waits on nothing. */
export function autoCloseAt(application: DeveloperApplication): Date | null {
  if (application.status !== ApplicationStatus.QUESTION || !application.questionAskedAt) {
    return null;
  }
  return new Date(application.questionAskedAt.getTime() + QUESTION_TIMEOUT_DAYS * DAY_MS);
}

/**
 * What every `application.*` event says about its application: the subject, the applicant
 * (whose stream it goes to, besides staff's review queue) and the status.
 */
export function applicationEvent(application: DeveloperApplication): {
  subjectId: string;
  userId: string;
  status: ApplicationStatus;
} {
  return { subjectId: application.id, userId: application.user.id, status: application.status };
}

/** The application, locked for this transaction; NOT_FOUND on `applicationId` when unknown. */
async function lockApplication(em: EntityManager, id: string): Promise<DeveloperApplication> {
  const application = await em.findOne(
    DeveloperApplication,
    { id },
    { lockMode: LockMode.PESSIMISTIC_WRITE },
  );
  if (!application) throw notFound('Developer application', 'applicationId');
  return application;
}

function assertStillOpen(application: DeveloperApplication): void {
  if (!isOpen(application)) {
    throw conflict(
      'applicationId',
      `This application was already ${application.status.toLowerCase()}; nothing more can be done with it.`,
    );
  }
}

const alreadyOpen = (): PorticoError =>
  new PorticoError(
    ErrorCode.CONFLICT,
    'You already have an open developer account application: wait for its decision, or answer its question.',
  );

/**
 * A user applies for a developer account. One open application at a time; after a rejection
 * or closure a new one may be made, after an approval none is needed. Staff are told by email
 * and in the app, and the review queue updates.
 */
export async function applyForDeveloperAccount(
  ctx: Context,
  input: ApplyForDeveloperAccountInput,
): Promise<DeveloperApplication> {
  const viewer = requireViewer(ctx);
  if (isStaff(ctx)) {
    throw forbidden('Staff create apps without a developer account application.');
  }
  const data = parseInput(ApplySchema, input);
  return mappingConstraintErrors({ [OPEN_APPLICATION_INDEX]: alreadyOpen }, () =>
    ctx.em.transactional(async (em) => {
      // Serializes the viewer's concurrent applications; the partial unique index backs it up.
      await em.findOneOrFail(
        User,
        { id: viewer.user.id },
        { lockMode: LockMode.PESSIMISTIC_WRITE },
      );
      const latest = await em.findOne(
        DeveloperApplication,
        { user: viewer.user.id },
        { orderBy: { createdAt: 'desc', id: 'desc' } },
      );
      if (latest && isOpen(latest)) throw alreadyOpen();
      if (latest?.status === ApplicationStatus.APPROVED) {
        throw new PorticoError(
          ErrorCode.CONFLICT,
          'Your developer account is already approved: you can create apps.',
        );
      }
      const application = new DeveloperApplication(
        em.getReference(User, viewer.user.id, { wrapped: true }),
        data.useCase,
      );
      application.companyName = data.companyName;
      em.persist(application);
      recordAudit(em, ctx, {
        organizationId: null,
        action: 'application.submit',
        targetType: 'DeveloperApplication',
        targetId: application.id,
        data: { companyName: application.companyName, previousApplicationId: latest?.id ?? null },
      });
      await publish(em, 'application.submitted', {
        ...applicationEvent(application),
        applicantId: viewer.user.id,
      });
      const staff = await em.find(
        User,
        { platformRole: PlatformRole.STAFF },
        { orderBy: { createdAt: 'asc', id: 'asc' } },
      );
      const notices = staff.map((member) =>
        submittedNotice(member.id, viewer.user, application.id),
      );
      await recordNotices(em, ctx, notices);
      return application;
    }),
  );
}

/** Staff ask the applicant a question: the application waits on the answer (14 days at most). */
export async function askApplicationQuestion(
  ctx: Context,
  input: AskApplicationQuestionInput,
): Promise<DeveloperApplication> {
  const viewer = requireViewer(ctx);
  if (!isStaff(ctx)) throw forbidden('Only portal staff can ask about an application.');
  const data = parseInput(MessageSchema, input);
  return ctx.em.transactional(async (em) => {
    const application = await lockApplication(em, data.applicationId);
    assertStillOpen(application);
    const message = new ApplicationMessage(
      em.getReference(DeveloperApplication, application.id, { wrapped: true }),
      em.getReference(User, viewer.user.id, { wrapped: true }),
      true,
      data.body,
    );
    em.persist(message);
    application.status = ApplicationStatus.QUESTION;
    application.questionAskedAt = new Date();
    recordAudit(em, ctx, {
      organizationId: null,
      action: 'application.question',
      targetType: 'DeveloperApplication',
      targetId: application.id,
      data: { messageId: message.id, applicantId: application.user.id },
    });
    await publish(em, 'application.updated', {
      ...applicationEvent(application),
      messageId: message.id,
    });
    const notices = [questionNotice(application.user.id, data.body)];
    await recordNotices(em, ctx, notices);
    return application;
  });
}

/**
 * The applicant answers the open question: the application goes back to PENDING, and the staff
 * member who asked is told.
 */
export async function answerApplicationQuestion(
  ctx: Context,
  input: AnswerApplicationQuestionInput,
): Promise<DeveloperApplication> {
  const viewer = requireViewer(ctx);
  const data = parseInput(MessageSchema, input);
  return ctx.em.transactional(async (em) => {
    const application = await lockApplication(em, data.applicationId);
    if (application.user.id !== viewer.user.id) {
      if (isStaff(ctx)) throw forbidden('Only the applicant answers questions about it.');
      throw notFound('Developer application', 'applicationId');
    }
    if (application.status !== ApplicationStatus.QUESTION) {
      throw conflict('applicationId', 'There is no open question on this application to answer.');
    }
    const message = new ApplicationMessage(
      em.getReference(DeveloperApplication, application.id, { wrapped: true }),
      em.getReference(User, viewer.user.id, { wrapped: true }),
      false,
      data.body,
    );
    const asked = await em.findOne(
      ApplicationMessage,
      { application: application.id, fromStaff: true },
      { orderBy: { createdAt: 'desc', id: 'desc' }, populate: ['author'] },
    );
    em.persist(message);
    application.status = ApplicationStatus.PENDING;
    application.questionAskedAt = null;
    recordAudit(em, ctx, {
      organizationId: null,
      action: 'application.answer',
      targetType: 'DeveloperApplication',
      targetId: application.id,
      data: { messageId: message.id },
    });
    await publish(em, 'application.updated', {
      ...applicationEvent(application),
      messageId: message.id,
    });
    const asker = asked?.author?.unwrap();
    const notices =
      asker?.platformRole === PlatformRole.STAFF
        ? [answeredNotice(asker.id, viewer.user, application.id)]
        : [];
    await recordNotices(em, ctx, notices);
    return application;
  });
}

/** Staff approve or reject an open application, with a reason (required to reject). */
export async function decideApplication(
  ctx: Context,
  input: DecideApplicationInput,
): Promise<DeveloperApplication> {
  const viewer = requireViewer(ctx);
  if (!isStaff(ctx)) throw forbidden('Only portal staff can decide on an application.');
  const data = parseInput(DecideSchema, input);
  return ctx.em.transactional(async (em) => {
    const application = await lockApplication(em, data.applicationId);
    assertStillOpen(application);
    const approve = data.decision === ApplicationDecision.APPROVE;
    application.status = approve ? ApplicationStatus.APPROVED : ApplicationStatus.REJECTED;
    application.decidedBy = em.getReference(User, viewer.user.id, { wrapped: true });
    application.decidedAt = new Date();
    application.reason = data.reason;
    application.questionAskedAt = null;
    recordAudit(em, ctx, {
      organizationId: null,
      action: approve ? 'application.approve' : 'application.reject',
      targetType: 'DeveloperApplication',
      targetId: application.id,
      data: { applicantId: application.user.id, reason: data.reason },
    });
    await publish(em, 'application.decided', {
      ...applicationEvent(application),
      decidedById: viewer.user.id,
    });
    const notice: ApplicationNotice = approve
      ? approvedNotice(application.user.id, data.reason)
      : rejectedNotice(application.user.id, data.reason ?? '');
    await recordNotices(em, ctx, [notice]);
    return application;
  });
}

/** Staff's list of applications, newest first, optionally in one status. */
export async function listDeveloperApplications(
  ctx: Context,
  args: DeveloperApplicationsArgs,
): Promise<Connection<DeveloperApplication>> {
  if (!isStaff(ctx)) throw forbidden('Only portal staff can list developer applications.');
  return paginate(
    ctx.em,
    DeveloperApplication,
    args.status ? { status: args.status } : {},
    args,
    'desc',
  );
}

/** The viewer's latest application when `user` is the viewer; null for anyone else. */
export async function developerApplicationOf(
  ctx: Context,
  user: User,
): Promise<DeveloperApplication | null> {
  if (ctx.viewer?.user.id !== user.id) return null;
  return applicationLoaders(ctx).latestApplicationByUser.load(user.id);
}

function mayRead(ctx: Context, application: DeveloperApplication): boolean {
  return isStaff(ctx) || ctx.viewer?.user.id === application.user.id;
}

/** For `node(id:)`: the application, for its applicant and staff only. */
export async function findDeveloperApplication(
  ctx: Context,
  id: string,
): Promise<DeveloperApplication | null> {
  if (!ctx.viewer) return null;
  const application = await ctx.em.findOne(DeveloperApplication, { id });
  return application && mayRead(ctx, application) ? application : null;
}

/** For `node(id:)`: a message of an application the viewer may read. */
export async function findApplicationMessage(
  ctx: Context,
  id: string,
): Promise<ApplicationMessage | null> {
  if (!ctx.viewer) return null;
  const message = await ctx.em.findOne(ApplicationMessage, { id }, { populate: ['application'] });
  return message && mayRead(ctx, message.application.unwrap()) ? message : null;
}

export async function messagesOf(
  ctx: Context,
  application: DeveloperApplication,
): Promise<ApplicationMessage[]> {
  return applicationLoaders(ctx).messagesByApplication.load(application.id);
}

export async function applicantOf(ctx: Context, application: DeveloperApplication): Promise<User> {
  const user = await loadReference(application.user, accountLoaders(ctx).userById);
  if (!user) throw notFound('User');
  return user;
}

/** Who decided: shown to staff only (the applicant sees the decision, not the person). */
export async function deciderOf(
  ctx: Context,
  application: DeveloperApplication,
): Promise<User | null> {
  if (!isStaff(ctx) || !application.decidedBy) return null;
  return loadReference(application.decidedBy, accountLoaders(ctx).userById);
}

/** Who wrote a message: staff see everyone; the applicant sees only themselves. */
export async function authorOf(ctx: Context, message: ApplicationMessage): Promise<User | null> {
  if (!message.author) return null;
  if (!isStaff(ctx) && message.author.id !== ctx.viewer?.user.id) return null;
  return loadReference(message.author, accountLoaders(ctx).userById);
}
