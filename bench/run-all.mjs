// `pnpm bench`: runs every benchmark one after the other (each builds the server when its
// sources changed, starts its own servers and database, and stops by itself) and prints one
// table of every figure beside its target, from the BENCH_SUMMARY line each one ends with.
//
//   pnpm bench                      every benchmark with its own defaults (several minutes)
//   pnpm bench --quick              short runs, to check that they all work
//   pnpm bench --only graphql,verify [--seconds 10]
//
// Not part of CI (CI runs `pnpm test`): the figures need a quiet machine, and every benchmark
// prints its figures beside a baseline measured in the same run.
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';

const BENCHMARKS = ['graphql', 'verify', 'events', 'usage', 'mixed'];
const SUMMARY_PREFIX = 'BENCH_SUMMARY ';

/** Short runs that still exercise everything (`--quick`). */
const QUICK = {
  graphql: ['--seconds', '4', '--slice', '2', '--warmup', '1', '--rate-seconds', '2'],
  verify: ['--seconds', '4', '--slice', '2', '--warmup', '1'],
  events: ['--subscribers', '500', '--events', '30', '--warmup', '5'],
  usage: ['--seconds', '4', '--slice', '2', '--warmup', '1', '--apps', '200', '--runs', '5'],
  mixed: ['--seconds', '5', '--subscribers', '50'],
};
/** The benchmarks that take `--seconds`. */
const TIMED = new Set(['graphql', 'verify', 'usage', 'mixed']);

const { values: flags } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string', default: BENCHMARKS.join(',') },
    seconds: { type: 'string' },
  },
});

function runBenchmark(name) {
  const args = [...(flags.quick ? QUICK[name] : [])];
  if (flags.seconds && TIMED.has(name)) args.push('--seconds', flags.seconds);
  return new Promise((resolve) => {
    const child = spawn('pnpm', ['--filter', '@portico/server', `bench:${name}`, ...args], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let summary = null;
    let pending = '';
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        if (line.startsWith(SUMMARY_PREFIX))
          summary = JSON.parse(line.slice(SUMMARY_PREFIX.length));
      }
    });
    child.on('exit', (code) => resolve({ name, code, summary }));
  });
}

const selected = flags.only.split(',').filter((name) => BENCHMARKS.includes(name));
const outcomes = [];
for (const name of selected) {
  console.log(`\n━━━ bench:${name} ━━━`);
  outcomes.push(await runBenchmark(name));
}

const rows = [['benchmark', 'measure', 'value', 'target', 'result']];
for (const { name, code, summary } of outcomes) {
  if (!summary) {
    rows.push([name, '(no figures: it failed, see above)', '', '', `exit ${code}`]);
    continue;
  }
  for (const row of summary.rows) {
    const result = row.met === null ? '' : row.met ? 'met' : 'NOT met';
    rows.push([name, row.measure, row.value, row.target, result]);
  }
  if (code !== 0) {
    // A failed request, or a target that benchmark requires (events: delivery and latency).
    rows.push([name, '(failed: errors or a required target, see above)', '', '', `exit ${code}`]);
  }
}
const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
console.log('\nEvery benchmark, each figure beside its target (shared/DESIGN.md, "Targets"):');
for (const row of rows) console.log(row.map((cell, i) => cell.padEnd(widths[i] + 2)).join(''));
console.log(
  '\nFigures measured on a shared or busy machine are low and noisy: compare each one with the' +
    ' baseline printed beside it in its own run, and take final figures on a quiet machine.',
);
process.exit(outcomes.every((o) => o.code === 0 && o.summary) ? 0 : 1);
