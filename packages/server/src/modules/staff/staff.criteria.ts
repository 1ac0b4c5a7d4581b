import { z } from 'zod';
import { fields } from '../../graphql/validation.js';
import { AppStatus } from '../apps/apps.entity.js';
import { OrganizationKind } from '../orgs/orgs.entity.js';

/*
 * The criteria that select apps and organizations in the staff console: the inventory pages,
 * the bulk operations (stored with a run, to plan it again when it starts), the exports and the
 * reports all read them through these schemas, and `staff.inventory.ts` is the one place that
 * turns them into SQL. Usage-based criteria (error rate over X %, usage over Y % of a plan cap)
 * read usage as staff.usage.ts defines it.
 */

const id = z.string().trim().min(1).max(100);
const date = z.coerce.date().refine((d) => !Number.isNaN(d.getTime()), 'Give a valid date.');
/** A filter's text: one clean line (it is stored with a bulk run's plan). */
const optionalText = (label: string) =>
  fields.line(label).max(200, `${label} must be at most 200 characters.`).nullish();

export const MAX_SELECTION = 10_000;

/** A percentage criterion: a finite number from 0 to `max`. */
const percent = (max: number) =>
  z.number('Give a percentage.').min(0, 'At least 0 %.').max(max, `At most ${max} %.`).nullish();

export const AppCriteriaSchema = z
  .object({
    ids: z.array(id).max(MAX_SELECTION, `Select at most ${MAX_SELECTION} apps.`).nullish(),
    organizationId: id.nullish(),
    productId: id.nullish(),
    statuses: z.array(z.enum(AppStatus)).max(4).nullish(),
    ownerId: id.nullish(),
    /** Part of the owner's email or name. */
    owner: optionalText('Owner'),
    /** Part of the app's name. */
    search: optionalText('Search'),
    createdAfter: date.nullish(),
    createdBefore: date.nullish(),
    lastVerifiedAfter: date.nullish(),
    lastVerifiedBefore: date.nullish(),
    /** No verified request (or none since it was created) for this many days. */
    inactiveDays: z
      .number()
      .int('Give a whole number of days.')
      .min(1, 'At least 1 day.')
      .max(3650, 'At most 3650 days.')
      .nullish(),
    /**
     * Errors / responses over the last 30 days (today and the 29 days before, UTC) at or over
     * this percentage; an app without responses in those days never matches.
     */
    errorRateOver: percent(100),
    /** This month's use of a plan cap (staff.usage.ts) at or over this percentage. */
    usageOverPercentOfCap: percent(1000),
  })
  .strict();
export type AppCriteria = z.infer<typeof AppCriteriaSchema>;

export const OrgCriteriaSchema = z
  .object({
    ids: z.array(id).max(MAX_SELECTION).nullish(),
    search: optionalText('Search'),
    verified: z.boolean().nullish(),
    kind: z.enum(OrganizationKind).nullish(),
    productId: id.nullish(),
    planId: id.nullish(),
    createdAfter: date.nullish(),
    createdBefore: date.nullish(),
    /** The organization's use of a plan cap this month at or over this percentage. */
    usageOverPercentOfCap: percent(1000),
  })
  .strict();
export type OrgCriteria = z.infer<typeof OrgCriteriaSchema>;

/** The criteria as stored with a bulk run and shown back: only what is set, dates as ISO. */
export function storableCriteria(criteria: AppCriteria): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(criteria)) {
    if (value === null || value === undefined) continue;
    if (Array.isArray(value) && value.length === 0) continue;
    out[key] = value instanceof Date ? value.toISOString() : value;
  }
  return out;
}

/** Whether the criteria select anything narrower than every app (a bulk run needs one). */
export function isNarrowed(criteria: AppCriteria): boolean {
  return Object.keys(storableCriteria(criteria)).length > 0;
}
