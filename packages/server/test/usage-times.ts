import { monthStartOf } from '../src/modules/usage/usage.periods.js';

/**
 * The start of the minute `minutes` before `now`, but not before this month began: usage that
 * is read as this month's must not land in last month during a month's first minutes (tests
 * and the GraphQL benchmark's seeding).
 */
export function minutesAgoThisMonth(minutes: number, now = Date.now()): Date {
  const minute = now - (now % 60_000) - minutes * 60_000;
  return new Date(Math.max(monthStartOf(new Date(now)).getTime(), minute));
}
