import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { createContext, NO_COOKIES, type Services } from '../../context.js';
import { publish } from '../../events/events.service.js';
import { recordAudit } from '../../audit/record.js';
import { ApplicationStatus, DeveloperApplication } from './applications.entity.js';
import { closedNotice, recordNotices } from './applications.notices.js';
import { applicationEvent, QUESTION_TIMEOUT_DAYS } from './applications.service.js';

const BATCH = 100;
export const CLOSED_REASON = `No answer to the question within ${QUESTION_TIMEOUT_DAYS} days.`;

/**
 * Closes every application whose question has gone unanswered for 14 days as of `now`:
 * audited with no actor (the system), the review queue and the applicant get an event, and
 * the applicant is told. Rows another transaction holds (an answer being written) are skipped
 * and looked at on the next run. Returns the ids of the closed applications.
 */
export async function closeStaleApplications(
  em: EntityManager,
  now: Date,
  services: Services,
): Promise<string[]> {
  const cutoff = new Date(now.getTime() - QUESTION_TIMEOUT_DAYS * 86_400_000);
  const ctx = createContext(services, null, { ip: null, userAgent: null }, NO_COOKIES, em);
  const closed: string[] = [];
  for (;;) {
    const ids = await em.transactional(async (tx) => {
      const stale = await tx.find(
        DeveloperApplication,
        { status: ApplicationStatus.QUESTION, questionAskedAt: { $lte: cutoff } },
        {
          lockMode: LockMode.PESSIMISTIC_PARTIAL_WRITE,
          orderBy: { questionAskedAt: 'asc', id: 'asc' },
          limit: BATCH,
        },
      );
      for (const application of stale) {
        application.status = ApplicationStatus.CLOSED;
        application.decidedAt = now;
        application.reason = CLOSED_REASON;
        recordAudit(tx, ctx, {
          organizationId: null,
          actorId: null,
          action: 'application.close',
          targetType: 'DeveloperApplication',
          targetId: application.id,
          data: {
            applicantId: application.user.id,
            questionAskedAt: application.questionAskedAt?.toISOString() ?? null,
            reason: CLOSED_REASON,
          },
        });
        await publish(tx, 'application.decided', {
          ...applicationEvent(application),
          decidedById: null,
        });
        await recordNotices(tx, ctx, [closedNotice(application.user.id)]);
      }
      return stale.map((application) => application.id);
    });
    closed.push(...ids);
    if (ids.length < BATCH) return closed;
  }
}
