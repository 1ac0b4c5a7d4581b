// Prints the gzip size of the JavaScript the browser loads before the first page renders:
// the entry script and every chunk index.html preloads. Fails above the budget.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const BUDGET_KIB = 200;
const dist = new URL('../dist/', import.meta.url).pathname;
const html = readFileSync(join(dist, 'index.html'), 'utf8');
const files = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]);
let total = 0;
for (const file of files) {
  const size = gzipSync(readFileSync(join(dist, file)), { level: 9 }).length;
  total += size;
  console.log(`${(size / 1024).toFixed(1).padStart(7)} KiB  ${file}`);
}
console.log(
  `${(total / 1024).toFixed(1).padStart(7)} KiB  initial JavaScript (gzip), budget ${BUDGET_KIB} KiB`,
);
if (total > BUDGET_KIB * 1024) process.exit(1);
