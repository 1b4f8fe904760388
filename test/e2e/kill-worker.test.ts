/**
 * A worker SIGKILLed in the middle of its jobs loses nothing: another worker takes the jobs
 * back once their locks expire, and every article is stored exactly once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Queue } from 'bullmq';
import { cleanupTestRedis, startTestRedis, type TestRedis } from '../helpers/redis-server.js';
import { runCli, spawnCli, waitFor } from '../helpers/cli.js';
import { listDir, readArticles } from '../helpers/out.js';
import { STAGES } from '../../src/config.js';

const SAMPLE = path.join(import.meta.dirname, '../../samples/aggregator-dump.txt');
const FILES = 30;

describe('SIGKILL a worker mid-job', () => {
  let redis: TestRedis;
  let dir: string;

  beforeAll(async () => {
    redis = await startTestRedis({ appendonly: true });
    dir = await mkdtemp(path.join(os.tmpdir(), 'copydesk-kill-'));
  });
  afterAll(async () => {
    if (redis) await cleanupTestRedis(redis);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('recovers the jobs and stores every article once', { timeout: 240_000 }, async () => {
    const inbox = path.join(dir, 'inbox');
    const out = path.join(dir, 'out');
    const staging = path.join(dir, 'staging');
    await mkdir(staging, { recursive: true });
    const text = await readFile(SAMPLE, 'utf8');
    // Distinct files: each changes a figure in every article, so each has its own bytes.
    for (let i = 0; i < FILES; i++) await writeFile(path.join(staging, `dump-${i}.txt`), text.replaceAll('2025', String(1900 + i)));
    const expected = runCli(['process', staging, '--stdout'], { REDIS_URL: 'redis://127.0.0.1:1' });
    expect(expected.status, expected.stderr).toBe(0);
    const expectedIds = expected.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { id: string }).id).sort();

    const env = {
      REDIS_URL: redis.url,
      COPYDESK_STABILITY_MS: '100',
      COPYDESK_LOCK_DURATION_MS: '2000',
      COPYDESK_STALLED_INTERVAL_MS: '1000',
      COPYDESK_CONCURRENCY_CLASSIFY: '1',
      COPYDESK_CONCURRENCY_STORE: '1',
    };
    const victim = spawnCli(['start', '--inbox', inbox, '--out', out], env);
    await waitFor('the watcher', async () => victim.output().includes('watching the inbox'), 30_000);
    for (let i = 0; i < FILES; i++) await writeFile(path.join(inbox, `dump-${i}.txt`), await readFile(path.join(staging, `dump-${i}.txt`)));

    const conn = redis.client();
    const queues = STAGES.map((s) => new Queue(s, { connection: conn, prefix: '{copydesk}' }));
    const activeStage = await waitFor(
      'an active job',
      async () => {
        for (const q of queues) if ((await q.getActiveCount()) > 0) return q.name;
        return undefined;
      },
      30_000,
      5,
    );
    victim.child.kill('SIGKILL');
    await victim.exited;
    const storedBefore = (await readArticles(out)).length;
    expect(storedBefore).toBeLessThan(expectedIds.length);

    const rescuer = spawnCli(['start', '--inbox', inbox, '--out', out], env);
    try {
      await waitFor(
        'every file in done/',
        async () => (await listDir(path.join(inbox, 'done'))).filter((n) => !n.endsWith('.json')).length === FILES,
        180_000,
        200,
      );
      const stored = await readArticles(out);
      const ids = stored.map((a) => a.id).sort();
      expect(ids).toEqual(expectedIds);
      expect(new Set(ids).size).toBe(ids.length);
      expect(await listDir(path.join(inbox, 'failed'))).toEqual([]);
      expect(await listDir(path.join(inbox, '.processing'))).toEqual([]);
      expect(activeStage).toBeTruthy();
    } finally {
      rescuer.child.kill('SIGTERM');
      await rescuer.exited;
      await Promise.all(queues.map((q) => q.close()));
    }
  });
});
