import { ErrorCode, PorticoError } from '../../errors.js';
import { GrantStatus } from '../grants/grants.entity.js';
import { AppStatus } from '../apps/apps.entity.js';

/**
 * An app's life as a table. Every status change of an app goes through
 * `app-lifecycle.service.ts`, which looks the change up here first: a change with no row is
 * an illegal transition and is refused with a typed error, changing nothing.
 *
 * `NEW` is the state before an app exists; `DELETED` is the tombstone (the app keeps its last
 * status, with `deletedAt` set).
 */
export type AppState = 'NEW' | AppStatus | 'DELETED';

/** What makes an app change state. */
export enum LifecycleTrigger {
  /** A member creates the app, asking for products or not. */
  CREATE = 'create',
  /** The owner or an admin asks for more products. */
  REQUEST = 'grant.request',
  /** Staff approve requests. */
  APPROVE = 'grant.approve',
  /** Staff reject requests. */
  REJECT = 'grant.reject',
  /** The owner or an admin withdraws a pending request. */
  WITHDRAW = 'grant.withdraw',
  /** Staff suspend the app. */
  SUSPEND = 'suspend',
  /** Staff lift the suspension. */
  UNSUSPEND = 'unsuspend',
  /** The owner or an admin deletes the app. */
  DELETE = 'delete',
}

/** Who may pull a trigger (the services check it; the table says it). */
export type LifecycleActor = 'member' | 'owner or admin' | 'staff' | 'approval rule';

/** What happens to the app's credentials when the transition is taken. */
export type CredentialEffect =
  'none yet' | 'unchanged' | 'start working' | 'stop working' | 'revoked';
/** What happens to the app's product grants. */
export type GrantEffect = 'requested' | 'decided' | 'withdrawn' | 'unchanged' | 'closed';

export interface Transition {
  readonly from: AppState;
  readonly to: AppState;
  readonly trigger: LifecycleTrigger;
  readonly by: readonly LifecycleActor[];
  /** The event the transition itself publishes on the organization's stream, if any. */
  readonly event: 'app.suspended' | 'app.unsuspended' | null;
  /** The audit action the transition writes. */
  readonly audit:
    'app.create' | 'app.status_change' | 'app.suspend' | 'app.unsuspend' | 'app.delete';
  readonly credentials: CredentialEffect;
  readonly grants: GrantEffect;
}

const { PENDING, ACTIVE, REJECTED, SUSPENDED } = AppStatus;
const LIVE: readonly AppStatus[] = [PENDING, ACTIVE, REJECTED];
const T = LifecycleTrigger;

function row(
  from: AppState,
  to: AppState,
  trigger: LifecycleTrigger,
  rest: Omit<Transition, 'from' | 'to' | 'trigger'>,
): Transition {
  return { from, to, trigger, ...rest };
}

const create = (to: AppStatus, credentials: CredentialEffect) =>
  row('NEW', to, T.CREATE, {
    by: ['member', 'approval rule'],
    event: null,
    audit: 'app.create',
    credentials,
    grants: 'requested',
  });
const review = (
  from: AppStatus,
  to: AppStatus,
  trigger: LifecycleTrigger,
  by: LifecycleActor[],
  grants: GrantEffect,
) =>
  row(from, to, trigger, {
    by,
    event: null,
    audit: 'app.status_change',
    credentials: to === ACTIVE ? 'start working' : 'unchanged',
    grants,
  });

/** Every legal transition. */
export const TRANSITIONS: readonly Transition[] = [
  // Created ACTIVE when nothing waits for staff (nothing asked, or every product approved at
  // once by its approval mode), PENDING while a request waits.
  create(ACTIVE, 'none yet'),
  create(PENDING, 'none yet'),
  // A decision ends the review of a PENDING app: ACTIVE once anything is approved (or nothing
  // is left asked), REJECTED when everything it asked for was rejected.
  review(PENDING, ACTIVE, T.APPROVE, ['staff'], 'decided'),
  review(REJECTED, ACTIVE, T.APPROVE, ['staff'], 'decided'),
  review(PENDING, REJECTED, T.REJECT, ['staff'], 'decided'),
  review(PENDING, ACTIVE, T.REJECT, ['staff'], 'decided'),
  review(PENDING, ACTIVE, T.WITHDRAW, ['owner or admin'], 'withdrawn'),
  review(PENDING, REJECTED, T.WITHDRAW, ['owner or admin'], 'withdrawn'),
  // A REJECTED app that asks again is back under review, or ACTIVE when approved at once.
  review(REJECTED, PENDING, T.REQUEST, ['owner or admin'], 'requested'),
  review(REJECTED, ACTIVE, T.REQUEST, ['owner or admin', 'approval rule'], 'requested'),
  // Suspension is staff's decision alone: the credentials stop until it is lifted, and the
  // app then takes the status its effective grants give it.
  ...LIVE.map((from) =>
    row(from, SUSPENDED, T.SUSPEND, {
      by: ['staff'],
      event: 'app.suspended',
      audit: 'app.suspend',
      credentials: 'stop working',
      grants: 'unchanged',
    }),
  ),
  ...LIVE.map((to) =>
    row(SUSPENDED, to, T.UNSUSPEND, {
      by: ['staff'],
      event: 'app.unsuspended',
      audit: 'app.unsuspend',
      credentials: to === ACTIVE ? 'start working' : 'unchanged',
      grants: 'unchanged',
    }),
  ),
  // Deletion leaves a tombstone: pending requests are withdrawn, grants revoked, and every
  // credential revoked at once.
  ...[...LIVE, SUSPENDED].map((from) =>
    row(from, 'DELETED', T.DELETE, {
      by: ['owner or admin'],
      event: null,
      audit: 'app.delete',
      credentials: 'revoked',
      grants: 'closed',
    }),
  ),
];

/** The legal transition from `from` to `to` on `trigger`, or undefined. */
export function findTransition(
  from: AppState,
  trigger: LifecycleTrigger,
  to: AppState,
): Transition | undefined {
  return TRANSITIONS.find((t) => t.from === from && t.trigger === trigger && t.to === to);
}

/**
 * The status an app's effective grants give it: PENDING while any request waits for review,
 * REJECTED when everything it asked for was rejected, ACTIVE otherwise (something approved,
 * or nothing left asked).
 */
export function statusFromGrants(
  statuses: readonly GrantStatus[],
): AppStatus.PENDING | AppStatus.ACTIVE | AppStatus.REJECTED {
  if (statuses.includes(GrantStatus.PENDING)) return PENDING;
  const allRejected = statuses.length > 0 && statuses.every((s) => s === GrantStatus.REJECTED);
  return allRejected ? REJECTED : ACTIVE;
}

/** What the service knows when it plans a transition. */
export interface TransitionFacts {
  /** The statuses of the app's effective grants after the change that triggered it. */
  readonly grants: readonly GrantStatus[];
}

/**
 * Where `trigger` takes an app in state `from`: a transition from the table, `null` when the
 * trigger leaves the status as it is (e.g. a decision on an ACTIVE app, or any grant change
 * of a SUSPENDED one), or an illegal-transition error.
 */
export function planTransition(
  from: AppState,
  trigger: LifecycleTrigger,
  facts: TransitionFacts,
): Transition | null {
  const to = target(from, trigger, facts);
  if (to === from) {
    if (trigger === T.SUSPEND || trigger === T.UNSUSPEND) throw illegalTransition(from, trigger);
    return null;
  }
  const transition = findTransition(from, trigger, to);
  if (!transition) throw illegalTransition(from, trigger);
  return transition;
}

function target(from: AppState, trigger: LifecycleTrigger, facts: TransitionFacts): AppState {
  // Only a new app is created, and a new app takes nothing else; a deleted one takes nothing.
  if (from === 'DELETED' || (from === 'NEW') !== (trigger === T.CREATE)) {
    throw illegalTransition(from, trigger);
  }
  const derived = statusFromGrants(facts.grants);
  switch (trigger) {
    case T.CREATE:
      return derived === PENDING ? PENDING : ACTIVE;
    case T.REQUEST:
      return from === REJECTED ? (derived === PENDING ? PENDING : ACTIVE) : from;
    case T.APPROVE:
      return from === PENDING || from === REJECTED ? ACTIVE : from;
    case T.REJECT:
    case T.WITHDRAW:
      return from === PENDING ? derived : from;
    case T.SUSPEND:
      return SUSPENDED;
    case T.UNSUSPEND:
      return from === SUSPENDED ? derived : from;
    case T.DELETE:
      return 'DELETED';
  }
}

const REFUSALS: Partial<Record<LifecycleTrigger, string>> = {
  [T.SUSPEND]: 'This app is already suspended.',
  [T.UNSUSPEND]: 'This app is not suspended.',
};

/** A CONFLICT on `appId` naming the state and the trigger that cannot be taken from it. */
export function illegalTransition(from: AppState, trigger: LifecycleTrigger): PorticoError {
  const message =
    from === 'DELETED'
      ? 'This app was deleted.'
      : (REFUSALS[trigger] ?? `An app that is ${from.toLowerCase()} cannot take "${trigger}".`);
  return new PorticoError(ErrorCode.CONFLICT, message, 'appId', {
    reason: 'ILLEGAL_TRANSITION',
    from,
    trigger,
  });
}
