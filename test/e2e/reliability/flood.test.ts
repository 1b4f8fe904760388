/**
 * A flood: N files dropped at once with a small COPYDESK_MAX_FILES_IN_FLIGHT. All are processed;
 * the watcher never has more than the bound claimed in .processing (sampled); the process's
 * RSS and Redis's used_memory are sampled and printed; finished jobs are trimmed to
 * COPYDESK_KEEP_COMPLETED. N defaults to a CI-sized 300 (20-50 s on two busy cores);
 * COPYDESK_FLOOD_FILES=2000 or 10000 for soak runs.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { readdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Queue } from 'bullmq';
import { cleanupTestRedis, startTestRedis, type TestRedis } from '../../helpers/redis-server.js';
import { spawnCli, waitFor, type CliProcess } from '../../helpers/cli.js';
import { listDir, readArticles } from '../../helpers/out.js';
import { expectedIds, makeWorkspace, rssKiB, smallDump, sampleMax, settledFiles, type Workspace } from '../../helpers/pipeline-run.js';
import { STAGES } from '../../../src/config.js';

const FILES = Number(process.env.COPYDESK_FLOOD_FILES ?? 300);
const MAX_IN_FLIGHT = 50;
const KEEP_COMPLETED = 20;
/**
 * Ceilings: a leak of 15 KB per file (10,000 files) would pass them, a bounded process stays
 * below. One `copydesk start` process under tsx, with its CPU and intake threads, peaked at
 * 506–563 MiB over the 10,000 files on 2026-11-29.
 */
const MAX_RSS_MIB = 700;
const MAX_REDIS_MIB = 100;

describe(`flood of ${FILES} files`, () => {
  let ws: Workspace | undefined;
  let redis: TestRedis | undefined;
  let cli: CliProcess | undefined;
  let queues: Queue[] = [];

  afterAll(async () => {
    cli?.child.kill('SIGKILL');
    await Promise.all(queues.map((q) => q.close()));
    if (redis) await cleanupTestRedis(redis);
    await ws?.remove();
  });

  it('processes every file with bounded claims, memory and retention', { timeout: 60_000 + FILES * 100 }, async () => {
    ws = await makeWorkspace('flood');
    redis = await startTestRedis();
    for (let i = 0; i < FILES; i++) await writeFile(path.join(ws.staging, `flood-${String(i).padStart(5, '0')}.txt`), smallDump(i));
    const expected = expectedIds([ws.staging]);
    expect(expected.length).toBeGreaterThanOrEqual(FILES);

    cli = spawnCli(['start', '--inbox', ws.inbox, '--out', ws.out], {
      REDIS_URL: redis.url,
      LOG_LEVEL: 'warn',
      COPYDESK_STABILITY_MS: '200',
      COPYDESK_STATE_DIR: ws.state,
      COPYDESK_MAX_FILES_IN_FLIGHT: String(MAX_IN_FLIGHT),
      COPYDESK_KEEP_COMPLETED: String(KEEP_COMPLETED),
    });
    // LOG_LEVEL=warn hides the "watching" line; the watcher makes its folders just before, and
    // files already there when it starts are taken by its first scan.
    const inbox = ws.inbox;
    await waitFor('the inbox folders', async () => (await listDir(inbox)).includes('.processing'), 30_000);

    const pid = cli.child.pid!;
    const processing = ws.processing;
    const conn = redis.client();
    const claimed = sampleMax(async () => (await readdir(processing)).length, 20);
    const rss = sampleMax(() => rssKiB(pid), 250);
    const redisMemory = sampleMax(async () => Number(/used_memory:(\d+)/.exec(await conn.info('memory'))?.[1]), 250);

    // All at once: rename from a staging folder on the same filesystem is instant per file.
    const started = Date.now();
    for (const name of await readdir(ws.staging)) await rename(path.join(ws.staging, name), path.join(ws.inbox, name));
    const done = ws.done;
    let lastReport = Date.now();
    await waitFor(
      'every file in done/',
      async () => {
        const n = (await settledFiles(done)).length;
        if (Date.now() - lastReport > 5_000) {
          lastReport = Date.now();
          const inFlight = (await readdir(processing)).length;
          console.log(`flood: ${n}/${FILES} files done after ${((Date.now() - started) / 1000).toFixed(0)} s; ${inFlight} in flight`);
        }
        return n === FILES;
      },
      FILES * 100,
      250,
    );
    const seconds = (Date.now() - started) / 1000;
    const maxClaimed = await claimed.stop();
    const maxRssMiB = (await rss.stop()) / 1024;
    const maxRedisMiB = (await redisMemory.stop()) / 1024 / 1024;

    queues = STAGES.map((s) => new Queue(s, { connection: conn, prefix: '{copydesk}' }));
    const completed = await Promise.all(queues.map((q) => q.getCompletedCount()));
    console.log(
      `flood: ${FILES} files in ${seconds.toFixed(1)} s (${(FILES / seconds).toFixed(1)} files/s); ` +
        `max ${maxClaimed} claimed (bound ${MAX_IN_FLIGHT}); max RSS ${maxRssMiB.toFixed(0)} MiB; ` +
        `max Redis used_memory ${maxRedisMiB.toFixed(1)} MiB; completed jobs kept per queue: ${completed.join(', ')}`,
    );

    // The bound was never exceeded, and the watcher claimed files as fast as they could be
    // worked on rather than trickling them in (before claims were decoupled from queuing it
    // peaked at 6 of 50). The bound itself fills only while the workers are slower than the
    // watcher: a fast run finishes files before 50 pile up (36 here once the CPU threads were fed).
    expect(maxClaimed).toBeLessThanOrEqual(MAX_IN_FLIGHT);
    expect(maxClaimed).toBeGreaterThanOrEqual(MAX_IN_FLIGHT / 2);
    expect(await listDir(ws.failed)).toEqual([]);
    expect((await readArticles(ws.out)).map((a) => a.id).sort()).toEqual(expected);
    for (const c of completed) expect(c).toBeLessThanOrEqual(KEEP_COMPLETED);
    expect(maxRssMiB).toBeLessThan(MAX_RSS_MIB);
    expect(maxRedisMiB).toBeLessThan(MAX_REDIS_MIB);

    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
  });
});
