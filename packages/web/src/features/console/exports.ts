/** The address of a streamed staff export (CSV or JSON) for `criteria`. */
export function exportHref(
  name:
    'apps' | 'organizations' | 'audit-log' | 'inactive-apps' | 'high-usage-apps' | 'pending-queue',
  format: 'csv' | 'json',
  criteria: Record<string, unknown> = {},
  extra: Record<string, string> = {},
): string {
  const params = new URLSearchParams(extra);
  const set = Object.fromEntries(
    Object.entries(criteria).filter(
      ([, v]) => v !== null && v !== undefined && v !== '' && !(Array.isArray(v) && !v.length),
    ),
  );
  if (Object.keys(set).length) params.set('criteria', JSON.stringify(set));
  const query = params.toString();
  return `/api/staff/exports/${name}.${format}${query ? `?${query}` : ''}`;
}

/** Only the criteria that are set (what a dry run stores and an export carries). */
export function setCriteria<T extends object>(criteria: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(criteria).filter(
      ([, v]) => v !== null && v !== undefined && v !== '' && !(Array.isArray(v) && !v.length),
    ),
  ) as Partial<T>;
}
