/**
 * `npm run bench [-- name…]`: runs every test/bench/*.bench.ts (or those whose name contains
 * one of the arguments), one process each so their memory figures do not mix, and prints
 * their figures. BENCH_SMOKE=1 runs the short versions (CI uses it so benchmarks cannot rot).
 */
import { readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const filters = process.argv.slice(2);
const benches = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();

let failed = 0;
for (const bench of benches) {
  console.log(`\n=== ${bench}${process.env.BENCH_SMOKE ? ' (smoke)' : ''}`);
  const started = Date.now();
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(here, bench)], { stdio: 'inherit', env: process.env });
  console.log(`=== ${bench}: ${r.status === 0 ? 'ok' : `FAILED (exit ${r.status})`} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (r.status !== 0) failed++;
}
if (benches.length === 0) console.log('no benchmark matched', filters);
process.exit(failed ? 1 : 0);
