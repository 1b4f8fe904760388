/**
 * Quality gate: near-duplicate clustering on ../shared/bench/dedup/dev.jsonl (ARI and pairwise
 * precision, metric of ../shared/bench/README.md), clean and with 5% of characters corrupted,
 * must not drop below the floors in floors.json. Runs the in-process index, which decides
 * exactly as the Redis one (test/unit/dedupe/redis-index.test.ts checks the two agree; the
 * benchmark prints the Redis figures). Skips, saying so, when the benchmark folder is absent.
 */
import { describe, expect, it } from 'vitest';
import { MemoryDedupeIndex } from '../../src/dedupe/memory-index.js';
import { DEDUPE_DEV, loadDedupeDev, noisy, scoreIndex, type DevDoc } from '../bench/lib/dedupe-data.js';
import { floor } from './floors.js';

const docs = loadDedupeDev();

async function gate(label: string, key: string, set: readonly DevDoc[]): Promise<void> {
  const s = await scoreIndex(set, new MemoryDedupeIndex());
  console.log(`dedupe ${label}: ARI ${s.ari.toFixed(4)} P ${s.precision.toFixed(4)} R ${s.recall.toFixed(4)} over ${set.length} docs (floors: ARI ${floor(`${key}.ari`)}, P ${floor(`${key}.precision`)})`);
  expect(s.ari).toBeGreaterThanOrEqual(floor(`${key}.ari`));
  expect(s.precision).toBeGreaterThanOrEqual(floor(`${key}.precision`));
}

describe('dedupe quality gate', () => {
  it.skipIf(!docs)(`clusters the dev set above the floors (data: ${DEDUPE_DEV})`, async () => {
    await gate('dev, clean', 'dedupe.dev.clean', docs!);
  });

  it.skipIf(!docs)('clusters the dev set with 5% of characters corrupted above the floors', async () => {
    await gate('dev, 5% character noise', 'dedupe.dev.noisy5', noisy(docs!));
  });

  it.skipIf(!!docs)('is skipped: benchmark data folder missing', () => {
    console.warn(`dedupe quality gate SKIPPED: no benchmark data at ${DEDUPE_DEV}`);
  });
});
