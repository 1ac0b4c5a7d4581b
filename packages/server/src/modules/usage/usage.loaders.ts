import { queryRows } from '../../db/rows.js';
import { subfields } from '../../graphql/selection.js';
import { batchPerTurn, groupBy, perRequest, SettledLoader } from '../../loaders.js';
import { prefetchForAppLists } from '../apps/apps.prefetch.js';
import { monthLabel, monthStartOf, nextMonthOf } from './usage.periods.js';
import { pgParams, usageRowsSql } from './usage.read.js';
import { UsageGranularity, type UsageSummary } from './usage.types.js';

export interface MonthOfApp {
  /** The whole app. */
  total: UsageSummary;
  /** Per product id. */
  byProduct: Map<string, UsageSummary>;
}

/** A row of this month's usage statement (one app and product). */
export interface SummaryRow {
  app_id: string;
  product_id: string;
  requests: number;
  responses: number;
  units: number;
  errors: number;
  response_time_sum: number;
}

/** The month's usage summary of some of its rows (an app's, or an app's on one product). */
export function summary(
  month: string,
  rows: Pick<SummaryRow, 'requests' | 'responses' | 'units' | 'errors' | 'response_time_sum'>[],
): UsageSummary {
  let requests = 0;
  let responses = 0;
  let units = 0;
  let errors = 0;
  let sum = 0;
  for (const row of rows) {
    requests += Number(row.requests);
    responses += Number(row.responses);
    units += Number(row.units);
    errors += Number(row.errors);
    sum += Number(row.response_time_sum);
  }
  return {
    month,
    requests,
    units,
    errors,
    errorRate: responses > 0 ? errors / responses : 0,
    responseTimeAvg: responses > 0 ? sum / responses : null,
  };
}

export const usageLoaders = perRequest((ctx) => ({
  /** This month's usage of each app, per product: one SQL statement for every app asked. */
  monthByApp: new SettledLoader<string, MonthOfApp>(async (appIds) => {
    const now = new Date();
    const month = monthStartOf(now);
    const label = monthLabel(month);
    const { params, p } = pgParams();
    const rows = usageRowsSql(UsageGranularity.DAY, month, nextMonthOf(month), { appIds }, p);
    const result = await queryRows<SummaryRow>(
      ctx.em,
      `select u.app_id, u.product_id, sum(u.requests)::float8 as requests,
         sum(u.responses)::float8 as responses, sum(u.units)::float8 as units,
         sum(u.errors)::float8 as errors, sum(u.response_time_sum)::float8 as response_time_sum
       from (${rows}) u group by u.app_id, u.product_id`,
      params,
    );
    // One row per app and product (the statement groups by both).
    return groupBy(result, appIds, (row) => row.app_id).map((rows) => ({
      total: summary(label, rows),
      byProduct: new Map(rows.map((row) => [row.product_id, summary(label, [row])])),
    }));
  }, batchPerTurn),
}));

// A list of apps whose usage this month the query asks for (of the app, or of its grants)
// reads it before it answers.
prefetchForAppLists((ctx, apps, selected, info) =>
  selected.has('usageThisMonth') || subfields(info, selected.get('grants')).has('usageThisMonth')
    ? usageLoaders(ctx).monthByApp.loadMany(apps.map((app) => app.id))
    : null,
);

export function emptySummary(): UsageSummary {
  return summary(monthLabel(monthStartOf(new Date())), []);
}
