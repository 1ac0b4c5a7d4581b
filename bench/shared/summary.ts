// The line each benchmark ends with, which `pnpm bench` (bench/run-all.ts) collects into one
// table: every figure beside its target. Printed also when a benchmark runs alone.

export interface SummaryRow {
  measure: string;
  value: string;
  /** The design's target, or '' for a figure shown for information. */
  target: string;
  /** Whether the target is met; null when there is none. */
  met: boolean | null;
}

export const SUMMARY_PREFIX = 'BENCH_SUMMARY ';

export function printSummary(benchmark: string, rows: SummaryRow[]): void {
  console.log(`\n${SUMMARY_PREFIX}${JSON.stringify({ benchmark, rows })}`);
}
