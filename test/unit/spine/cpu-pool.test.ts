import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { pino } from 'pino';
import { CpuPool, pooledCpuStages } from '../../../jobs/cpu-pool.js';
import { inlineCpuStages } from '../../../jobs/cpu-stages.js';
import { buildStages } from '../../../jobs/stage-deps.js';
import { loadConfig } from '../../../src/config.js';
import { CopydeskError, ERROR_CODES, isPermanent } from '../../../src/errors.js';
import type { RawRecord } from '../../../src/schema/pipeline.js';

const logger = pino({ level: 'silent' });
const BUSY = new URL('../../fixtures/busy-thread.mjs', import.meta.url);

describe('CPU threads', () => {
  const pools: { close(): Promise<void> }[] = [];
  afterEach(async () => {
    await Promise.all(pools.splice(0).map((p) => p.close()));
  });

  it('fails a document that overruns its budget alone, and keeps serving the others', async () => {
    const pool = new CpuPool({ threads: 1, budgetMs: 300, workerData: {}, entry: BUSY, logger });
    pools.push(pool);
    const started = Date.now();
    const [stuck, after] = await Promise.allSettled([pool.run('forever', []), pool.run('spin', [10])]);
    expect(stuck.status).toBe('rejected');
    const err = (stuck as PromiseRejectedResult).reason as CopydeskError;
    expect(err.code).toBe(ERROR_CODES.TIME_BUDGET);
    expect(isPermanent(err)).toBe(true);
    // The second document waited for the thread, then ran on its replacement.
    expect(after).toEqual({ status: 'fulfilled', value: 'spun 10' });
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('hands a thread several documents at once: each gets its whole budget, timed from when it can have started', async () => {
    const pool = new CpuPool({ threads: 1, budgetMs: 400, workerData: {}, entry: BUSY, logger, queuedPerThread: 4 });
    pools.push(pool);
    // Three documents of 250 ms queued on one thread: the last ends ~750 ms after it was handed
    // over, past the budget, yet none of them ran longer than 400 ms.
    const results = await Promise.allSettled([pool.run('spin', [250]), pool.run('spin', [250]), pool.run('spin', [250])]);
    expect(results).toEqual(Array(3).fill({ status: 'fulfilled', value: 'spun 250' }));
  });

  it('gives the documents queued behind a runaway one to its replacement thread', async () => {
    const pool = new CpuPool({ threads: 1, budgetMs: 300, workerData: {}, entry: BUSY, logger, queuedPerThread: 4 });
    pools.push(pool);
    const [stuck, ...after] = await Promise.allSettled([pool.run('forever', []), pool.run('spin', [5]), pool.run('spin', [6]), pool.run('spin', [7])]);
    expect(((stuck as PromiseRejectedResult).reason as CopydeskError).code).toBe(ERROR_CODES.TIME_BUDGET);
    expect(after).toEqual([5, 6, 7].map((ms) => ({ status: 'fulfilled', value: `spun ${ms}` })));
  });

  it('fails as transient, rather than resending, a queued document whose bytes were moved to the replaced thread', async () => {
    const pool = new CpuPool({ threads: 1, budgetMs: 300, workerData: {}, entry: BUSY, logger, queuedPerThread: 4 });
    pools.push(pool);
    const bytes = new ArrayBuffer(8);
    const [stuck, moved, copied] = await Promise.allSettled([pool.run('forever', []), pool.run('spin', [5, bytes], [bytes]), pool.run('spin', [6])]);
    expect(((stuck as PromiseRejectedResult).reason as CopydeskError).code).toBe(ERROR_CODES.TIME_BUDGET);
    const err = (moved as PromiseRejectedResult).reason as CopydeskError;
    expect(err.code).toBe(ERROR_CODES.STAGE_CRASH);
    expect(isPermanent(err)).toBe(false);
    expect(copied).toEqual({ status: 'fulfilled', value: 'spun 6' });
  });

  it('rejects at once a document that cannot be sent to a thread, and serves the next', async () => {
    const pool = new CpuPool({ threads: 1, budgetMs: 5000, workerData: {}, entry: BUSY, logger });
    pools.push(pool);
    await pool.ready();
    await expect(pool.run('spin', [5, () => 1])).rejects.toThrow(/could not be cloned/);
    expect(await pool.run('spin', [7])).toBe('spun 7');
  });

  it('runs documents side by side on several threads and brings errors back as transient', async () => {
    const pool = new CpuPool({ threads: 2, budgetMs: 5000, workerData: {}, entry: BUSY, logger });
    pools.push(pool);
    expect(await Promise.all([pool.run('spin', [50]), pool.run('spin', [50])])).toEqual(['spun 50', 'spun 50']);
    const err = (await pool.run('fail', ['no luck']).catch((e: unknown) => e)) as CopydeskError;
    expect(err.message).toBe('no luck');
    expect(isPermanent(err)).toBe(false);
  });

  it('gives the same article in a thread as in the event loop', async () => {
    const config = loadConfig({}, { inbox: '/tmp/unused-inbox', out: '/tmp/unused-out' });
    const threaded = pooledCpuStages(config, logger);
    pools.push(threaded);
    const inline = inlineCpuStages(await buildStages(config));
    const text = readFileSync(new URL('../../../samples/aggregator-dump.txt', import.meta.url), 'utf8');
    const record: RawRecord = { index: 0, origin: 'file', kind: 'text', content: text, hints: {} };
    const file = { name: 'aggregator-dump.txt', sha256: 'ab'.repeat(32), size: text.length, capturedAt: '2025-06-09T08:00:00.000Z' };
    const [a, b] = [await threaded.clean(record), await inline.clean(record)];
    expect(a).toEqual(b);
    const [sa, sb] = [await threaded.split(a, file), await inline.split(b, file)];
    expect(sa).toEqual(sb);
    expect(sa.drafts.length).toBeGreaterThan(1);
    const dedupe = { contentHash: sa.drafts[0]!.contentHash, clusterId: sa.drafts[0]!.id, duplicateOf: null, similarity: 1, method: null };
    const [ca, cb] = [await threaded.classify(file, sa.drafts[0]!, dedupe), await inline.classify(file, sb.drafts[0]!, dedupe)];
    expect(ca).toEqual(cb);
    expect(ca.article.title.length).toBeGreaterThan(0);
  });
});
