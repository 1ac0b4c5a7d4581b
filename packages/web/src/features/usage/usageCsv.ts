import type { UsageBreakdown, UsageFigures, UsageView } from './usageView';

/**
 * CSV of what a usage page shows (RFC 4180: comma separated, CRLF line ends, fields quoted
 * when they hold a comma, a quote or a line break). Numbers are written plainly (no grouping)
 * and times in ISO 8601 UTC, so a spreadsheet reads them as they are.
 */

export type CsvCell = string | number | null;

/**
 * A text that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, carriage return
 * at the start) gets a leading apostrophe: an app's name is data, never a formula.
 */
function guardFormula(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

export function csvCell(value: CsvCell): string {
  if (value === null) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const text = guardFormula(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Rows of cells to CSV text, each line ended by CRLF. */
export function buildCsv(rows: CsvCell[][]): string {
  return rows.map((row) => row.map(csvCell).join(',') + '\r\n').join('');
}

const FIGURE_HEADERS = [
  'requests',
  'responses',
  'units',
  'errors',
  'error_rate',
  'latency_min_ms',
  'latency_avg_ms',
  'latency_max_ms',
  'latency_p50_ms',
  'latency_p95_ms',
  'latency_p99_ms',
];

function round(value: number | null, digits: number): number | null {
  if (value === null) return null;
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

function figureCells(figures: UsageFigures): CsvCell[] {
  return [
    figures.requests,
    figures.responses,
    figures.units,
    figures.errors,
    round(figures.errorRate, 6),
    round(figures.latencyMin, 2),
    round(figures.latencyAvg, 2),
    round(figures.latencyMax, 2),
    round(figures.latencyP50, 2),
    round(figures.latencyP95, 2),
    round(figures.latencyP99, 2),
  ];
}

/** The charts' buckets, one row each: the start of the bucket (UTC), then its figures. */
export function seriesCsv(view: Pick<UsageView, 'points'>): string {
  return buildCsv([
    ['bucket_start_utc', ...FIGURE_HEADERS],
    ...view.points.map((point) => [point.time, ...figureCells(point)]),
  ]);
}

/** A breakdown table, one row per group, in the order shown. */
export function breakdownCsv(breakdown: UsageBreakdown): string {
  return buildCsv([
    [`${breakdown.key}_id`, breakdown.key, ...FIGURE_HEADERS],
    ...breakdown.rows.map((row) => [
      row.id,
      row.note ? `${row.name} (${row.note})` : row.name,
      ...figureCells(row),
    ]),
  ]);
}

/** A file name from its parts: lower case, words joined by dashes, `.csv`. */
export function csvFileName(...parts: string[]): string {
  const slug = parts
    .join('-')
    .normalize('NFKD')
    .replace(/[^\w\s-]/g, '')
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, '-')
    .replace(/^-|-$/g, '');
  return `${slug || 'usage'}.csv`;
}

/** Has the browser save `text` as a CSV file. */
export function downloadCsv(fileName: string, text: string): void {
  // A byte-order mark so that spreadsheet programs read the file as UTF-8.
  const blob = new Blob(['\ufeff', text], { type: 'text/csv;charset=utf-8' });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
