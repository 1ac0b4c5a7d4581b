import { describe, expect, it } from 'vitest';
import { PorticoError } from '../../errors.js';
import { AppStatus } from '../apps/apps.entity.js';
import { GrantStatus } from '../grants/grants.entity.js';
import {
  findTransition,
  LifecycleTrigger,
  planTransition,
  statusFromGrants,
  TRANSITIONS,
  type AppState,
} from './app-lifecycle.transitions.js';

const STATES: AppState[] = ['NEW', ...Object.values(AppStatus), 'DELETED'];
const TRIGGERS = Object.values(LifecycleTrigger);
const { PENDING, APPROVED, REJECTED, REVOKED } = GrantStatus;
/** Every shape of effective grants that leads somewhere different. */
const GRANT_SETS: GrantStatus[][] = [
  [],
  [PENDING],
  [APPROVED],
  [REJECTED],
  [REVOKED],
  [REJECTED, REJECTED],
  [APPROVED, REJECTED],
  [PENDING, REJECTED],
];

type Outcome = { to: AppState } | 'unchanged' | { refused: Record<string, unknown> };

function outcome(from: AppState, trigger: LifecycleTrigger, grants: GrantStatus[]): Outcome {
  try {
    const taken = planTransition(from, trigger, { grants });
    return taken ? { to: taken.to } : 'unchanged';
  } catch (error) {
    if (!(error instanceof PorticoError)) throw error;
    return { refused: { ...error.extensions, message: error.message } };
  }
}

describe('the app lifecycle table', () => {
  it('lists each transition once', () => {
    const keys = TRANSITIONS.map((t) => `${t.from} -${t.trigger}-> ${t.to}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('takes every listed transition for some grants, and no transition that is not listed', () => {
    const taken = new Set<string>();
    for (const from of STATES) {
      for (const trigger of TRIGGERS) {
        for (const grants of GRANT_SETS) {
          const result = outcome(from, trigger, grants);
          if (typeof result === 'object' && 'to' in result) {
            expect(findTransition(from, trigger, result.to), `${from} -${trigger}->`).toBeDefined();
            taken.add(`${from} -${trigger}-> ${result.to}`);
          }
        }
      }
    }
    expect([...taken].sort()).toEqual(
      TRANSITIONS.map((t) => `${t.from} -${t.trigger}-> ${t.to}`).sort(),
    );
  });

  it('refuses whatever is not in the table with a typed CONFLICT naming the state and trigger', () => {
    const refusals: string[] = [];
    for (const from of STATES) {
      for (const trigger of TRIGGERS) {
        const result = outcome(from, trigger, [APPROVED]);
        if (typeof result === 'object' && 'refused' in result) {
          expect(result.refused).toMatchObject({
            code: 'CONFLICT',
            field: 'appId',
            reason: 'ILLEGAL_TRANSITION',
            from,
            trigger,
          });
          refusals.push(`${from} ${trigger}`);
        }
      }
    }
    // A deleted app takes nothing; suspension cannot be repeated, and only a suspended app
    // can have it lifted; only a new app is created, and a new app takes nothing else.
    const expected = [
      ...TRIGGERS.map((t) => `DELETED ${t}`),
      'SUSPENDED suspend',
      ...['NEW', PENDING, 'ACTIVE', REJECTED].map((s) => `${s} unsuspend`),
      ...['PENDING', 'ACTIVE', 'REJECTED', 'SUSPENDED'].map((s) => `${s} create`),
      ...TRIGGERS.filter((t) => t !== LifecycleTrigger.CREATE).map((t) => `NEW ${t}`),
    ];
    expect(refusals.sort()).toEqual([...new Set(expected)].sort());
  });

  it('keeps the messages people see when they suspend twice or lift a suspension that is not there', () => {
    expect(outcome(AppStatus.SUSPENDED, LifecycleTrigger.SUSPEND, [])).toMatchObject({
      refused: { message: 'This app is already suspended.' },
    });
    expect(outcome(AppStatus.ACTIVE, LifecycleTrigger.UNSUSPEND, [])).toMatchObject({
      refused: { message: 'This app is not suspended.' },
    });
  });

  it('leaves a suspended app where it is whatever happens to its grants', () => {
    for (const trigger of [
      LifecycleTrigger.REQUEST,
      LifecycleTrigger.APPROVE,
      LifecycleTrigger.REJECT,
      LifecycleTrigger.WITHDRAW,
    ]) {
      for (const grants of GRANT_SETS) {
        expect(outcome(AppStatus.SUSPENDED, trigger, grants)).toBe('unchanged');
      }
    }
  });

  it('derives a status from effective grants: pending wins, all rejected is rejected, else active', () => {
    expect(statusFromGrants([])).toBe(AppStatus.ACTIVE);
    expect(statusFromGrants([REJECTED, PENDING])).toBe(AppStatus.PENDING);
    expect(statusFromGrants([REJECTED, REJECTED])).toBe(AppStatus.REJECTED);
    expect(statusFromGrants([REJECTED, APPROVED])).toBe(AppStatus.ACTIVE);
    expect(statusFromGrants([REVOKED])).toBe(AppStatus.ACTIVE);
  });
});
