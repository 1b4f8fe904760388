/**
 * SIGTERM while jobs are active: the process stops taking work, its active jobs finish or are
 * handed back within COPYDESK_SHUTDOWN_TIMEOUT_MS, it exits 0 in time, and a pipeline started
 * afterwards completes everything, every article stored once.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { Queue } from 'bullmq';
import { cleanupTestRedis, startTestRedis, type TestRedis } from '../../helpers/redis-server.js';
import { spawnCli, waitFor, type CliProcess } from '../../helpers/cli.js';
import { listDir, readArticles } from '../../helpers/out.js';
import { dropInto, expectedIds, isAlive, makeWorkspace, settledFiles, writeSampleVariants, waitForWatcher, type Workspace } from '../../helpers/pipeline-run.js';
import { STAGES } from '../../../src/config.js';

const FILES = 20;
const SHUTDOWN_TIMEOUT_MS = 3000;
/** Closing queues and connections after the workers, on a busy two-core machine. */
const EXIT_MARGIN_MS = 4000;

describe('SIGTERM during work', () => {
  let ws: Workspace | undefined;
  let redis: TestRedis | undefined;
  const clis: CliProcess[] = [];
  let queues: Queue[] = [];

  afterAll(async () => {
    for (const c of clis) c.child.kill('SIGKILL');
    await Promise.all(queues.map((q) => q.close()));
    if (redis) await cleanupTestRedis(redis);
    await ws?.remove();
  });

  it('exits 0 within the bound and a restarted pipeline completes everything', { timeout: 180_000 }, async () => {
    ws = await makeWorkspace('sigterm');
    redis = await startTestRedis({ appendonly: true });
    const names = await writeSampleVariants(ws.staging, FILES);
    const expected = expectedIds([ws.staging]);
    const env = {
      REDIS_URL: redis.url,
      COPYDESK_STABILITY_MS: '100',
      COPYDESK_STATE_DIR: ws.state,
      COPYDESK_SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS),
      // Jobs handed back by a forced close are taken again once their lock lapses.
      COPYDESK_LOCK_DURATION_MS: '2000',
      COPYDESK_STALLED_INTERVAL_MS: '1000',
    };
    const first = spawnCli(['start', '--inbox', ws.inbox, '--out', ws.out], env);
    clis.push(first);
    await waitForWatcher(first);
    await dropInto(ws.inbox, ws.staging, names);

    const conn = redis.client();
    queues = STAGES.map((s) => new Queue(s, { connection: conn, prefix: '{copydesk}' }));
    await waitFor(
      'active jobs',
      async () => {
        for (const q of queues) if ((await q.getActiveCount()) > 0) return true;
        return false;
      },
      30_000,
      5,
    );
    const signalled = Date.now();
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    const exitMs = Date.now() - signalled;
    expect(exitMs).toBeLessThan(SHUTDOWN_TIMEOUT_MS + EXIT_MARGIN_MS);
    expect(first.output()).toContain('stopped');
    // It really was mid-run: something was left for the next pipeline.
    const settledAtStop = (await settledFiles(ws.done)).length + (await settledFiles(ws.failed)).length;
    expect(settledAtStop).toBeLessThan(FILES);

    const second = spawnCli(['start', '--inbox', ws.inbox, '--out', ws.out], env);
    clis.push(second);
    const done = ws.done;
    await waitFor('every file in done/', async () => (await settledFiles(done)).length === FILES, 90_000, 200);
    expect((await readArticles(ws.out)).map((a) => a.id).sort()).toEqual(expected);
    expect(await listDir(ws.failed)).toEqual([]);
    expect(await listDir(ws.processing)).toEqual([]);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    console.log(`SIGTERM → exit in ${exitMs} ms (bound ${SHUTDOWN_TIMEOUT_MS} ms + ${EXIT_MARGIN_MS} ms margin); ${settledAtStop}/${FILES} files settled at stop`);
  });

  it('exits within the bound even when Redis is away at the time of the signal', { timeout: 120_000 }, async () => {
    const ws2 = await makeWorkspace('sigterm-noredis');
    const redis2 = await startTestRedis();
    try {
      const names = await writeSampleVariants(ws2.staging, 10);
      const cli = spawnCli(['start', '--inbox', ws2.inbox, '--out', ws2.out], {
        REDIS_URL: redis2.url,
        COPYDESK_STABILITY_MS: '100',
        COPYDESK_STATE_DIR: ws2.state,
        COPYDESK_SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS),
      });
      clis.push(cli);
      await waitForWatcher(cli);
      await dropInto(ws2.inbox, ws2.staging, names);
      const out = ws2.out;
      await waitFor('some articles stored', async () => (await readArticles(out)).length > 0, 30_000, 20);
      await redis2.stop('SIGKILL');
      const signalled = Date.now();
      cli.child.kill('SIGTERM');
      const code = await Promise.race([cli.exited, new Promise((r) => setTimeout(() => r('still running'), SHUTDOWN_TIMEOUT_MS + EXIT_MARGIN_MS))]);
      expect(code, cli.output().slice(-3000)).toBe(0);
      expect(Date.now() - signalled).toBeLessThan(SHUTDOWN_TIMEOUT_MS + EXIT_MARGIN_MS);
      // Nothing a person dropped is gone: each file is in the inbox, in flight, or settled.
      const everywhere = [...(await listDir(ws2.inbox)), ...(await settledFiles(ws2.done)), ...(await listDir(ws2.processing)).map((n) => n.slice(n.indexOf('__') + 2))];
      for (const n of names) expect(everywhere).toContain(n);
    } finally {
      await cleanupTestRedis(redis2);
      await ws2.remove();
    }
  });
});
