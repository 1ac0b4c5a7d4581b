import { signUpUser, type SignedInUser } from './builders.js';
import type { TestServer } from './harness.js';
import { DomainEvent } from '../src/events/events.entity.js';
import { AuditEntry } from '../src/audit/audit.entity.js';
import { Notification } from '../src/modules/notifications/notifications.entity.js';
import { DeveloperApplication } from '../src/modules/applications/applications.entity.js';

/** Operations and builders shared by the applications tests. */

export const USE_CASE =
  'We are building a delivery tracker for small shops: it reads parcel events from the API and texts customers when their order is on its way.';

export const APPLICATION_FIELDS = `id status useCase companyName reason decidedAt questionAskedAt
  autoCloseAt createdAt updatedAt user { id } decidedBy { id }
  messages { id fromStaff body createdAt author { id } }`;

export interface ApplicationFields {
  id: string;
  status: string;
  useCase: string;
  companyName: string | null;
  reason: string | null;
  decidedAt: string | null;
  questionAskedAt: string | null;
  autoCloseAt: string | null;
  user: { id: string };
  decidedBy: { id: string } | null;
  messages: { id: string; fromStaff: boolean; body: string; author: { id: string } | null }[];
}

export const APPLY = `mutation ($input: ApplyForDeveloperAccountInput!) {
  applyForDeveloperAccount(input: $input) { application { ${APPLICATION_FIELDS} } }
}`;
export const ASK = `mutation ($input: AskApplicationQuestionInput!) {
  askApplicationQuestion(input: $input) { application { ${APPLICATION_FIELDS} } }
}`;
export const ANSWER = `mutation ($input: AnswerApplicationQuestionInput!) {
  answerApplicationQuestion(input: $input) { application { ${APPLICATION_FIELDS} } }
}`;
export const DECIDE = `mutation ($input: DecideApplicationInput!) {
  decideApplication(input: $input) { application { ${APPLICATION_FIELDS} } }
}`;
export const VIEWER = `{
  viewer { id canCreateApps developerApplication { ${APPLICATION_FIELDS} } }
}`;

/** A user who has not applied yet. */
export function newApplicant(server: TestServer, name = 'Ann Applicant'): Promise<SignedInUser> {
  return signUpUser(server, { approved: false, name });
}

export function newStaff(server: TestServer, name = 'Sam Staff'): Promise<SignedInUser> {
  return signUpUser(server, { staff: true, approved: false, name });
}

export async function apply(
  user: SignedInUser,
  input: { useCase?: string; companyName?: string | null } = {},
): Promise<ApplicationFields> {
  const data = await user.client.ok<{
    applyForDeveloperAccount: { application: ApplicationFields };
  }>(APPLY, { input: { useCase: USE_CASE, companyName: 'Parcel Pals', ...input } });
  return data.applyForDeveloperAccount.application;
}

export async function ask(
  staff: SignedInUser,
  applicationId: string,
  body = 'Which customers will you text, and how do they opt in?',
): Promise<ApplicationFields> {
  const data = await staff.client.ok<{
    askApplicationQuestion: { application: ApplicationFields };
  }>(ASK, { input: { applicationId, body } });
  return data.askApplicationQuestion.application;
}

export async function answer(
  applicant: SignedInUser,
  applicationId: string,
  body = 'Only customers who ticked the box at checkout.',
): Promise<ApplicationFields> {
  const data = await applicant.client.ok<{
    answerApplicationQuestion: { application: ApplicationFields };
  }>(ANSWER, { input: { applicationId, body } });
  return data.answerApplicationQuestion.application;
}

export async function decide(
  staff: SignedInUser,
  applicationId: string,
  decision: 'APPROVE' | 'REJECT',
  reason: string | null = decision === 'REJECT' ? 'Not enough detail.' : null,
): Promise<ApplicationFields> {
  const data = await staff.client.ok<{
    decideApplication: { application: ApplicationFields };
  }>(DECIDE, { input: { applicationId, decision, reason } });
  return data.decideApplication.application;
}

/** Events about one subject as stored, oldest first: `[topic, kind, data]`. */
export async function eventsAbout(
  server: TestServer,
  subjectId: string,
): Promise<[string, string, DomainEvent['data']][]> {
  const rows = await server.orm.em
    .fork()
    .find(DomainEvent, { subjectId }, { orderBy: { id: 'asc' } });
  return rows.map((row) => [row.topic, row.kind, row.data]);
}

/** Audit entries about one target, oldest first: `[action, actorId, data]`. */
export async function auditOf(
  server: TestServer,
  targetId: string,
): Promise<[string, string | null, Record<string, unknown>][]> {
  const rows = await server.orm.em
    .fork()
    .find(AuditEntry, { targetId }, { orderBy: { createdAt: 'asc', id: 'asc' } });
  return rows.map((row) => [row.action, row.actor?.id ?? null, row.data]);
}

export async function storedApplicationsOf(
  server: TestServer,
  userId: string,
): Promise<DeveloperApplication[]> {
  return server.orm.em
    .fork()
    .find(DeveloperApplication, { user: userId }, { orderBy: { createdAt: 'asc', id: 'asc' } });
}

export async function notificationsOf(server: TestServer, userId: string): Promise<Notification[]> {
  return server.orm.em
    .fork()
    .find(Notification, { user: userId }, { orderBy: { createdAt: 'asc', id: 'asc' } });
}
