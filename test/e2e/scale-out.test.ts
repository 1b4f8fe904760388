/**
 * Scaling out: one watcher and two separate worker processes on one Redis share the work,
 * and every article is stored exactly once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Queue } from 'bullmq';
import { cleanupTestRedis, startTestRedis, type TestRedis } from '../helpers/redis-server.js';
import { runCli, spawnCli, waitFor, type CliProcess } from '../helpers/cli.js';
import { listDir, readArticles } from '../helpers/out.js';
import { STAGES } from '../../src/config.js';

const SAMPLE = path.join(import.meta.dirname, '../../samples/aggregator-dump.txt');
const FILES = 24;

describe('two worker processes on one Redis', () => {
  let redis: TestRedis;
  let dir: string;
  const procs: CliProcess[] = [];

  beforeAll(async () => {
    redis = await startTestRedis();
    dir = await mkdtemp(path.join(os.tmpdir(), 'copydesk-scale-'));
  });
  afterAll(async () => {
    for (const p of procs) p.child.kill('SIGKILL');
    if (redis) await cleanupTestRedis(redis);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('shares the jobs and stores every article once', async () => {
    const inbox = path.join(dir, 'inbox');
    const out = path.join(dir, 'out');
    const staging = path.join(dir, 'staging');
    await mkdir(staging, { recursive: true });
    const text = await readFile(SAMPLE, 'utf8');
    for (let i = 0; i < FILES; i++) await writeFile(path.join(staging, `dump-${i}.txt`), text.replaceAll('Hong Kong', `Hong Kong ${i}`));
    const expected = runCli(['process', staging, '--stdout'], { REDIS_URL: 'redis://127.0.0.1:1' });
    expect(expected.status, expected.stderr).toBe(0);
    const expectedIds = expected.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { id: string }).id).sort();

    const env = { REDIS_URL: redis.url, COPYDESK_STABILITY_MS: '100', COPYDESK_INBOX: inbox, COPYDESK_OUT: out };
    const workers = [spawnCli(['worker'], env), spawnCli(['worker'], env)];
    const watcher = spawnCli(['watch'], env);
    procs.push(...workers, watcher);
    for (const w of workers) await waitFor('a worker', async () => w.output().includes('copydesk running'), 30_000);
    await waitFor('the watcher', async () => watcher.output().includes('watching the inbox'), 30_000);

    for (let i = 0; i < FILES; i++) await writeFile(path.join(inbox, `dump-${i}.txt`), await readFile(path.join(staging, `dump-${i}.txt`)));
    await waitFor('every file in done/', async () => (await listDir(path.join(inbox, 'done'))).filter((n) => !n.endsWith('.json')).length === FILES, 60_000, 200);

    const ids = (await readArticles(out)).map((a) => a.id).sort();
    expect(ids).toEqual(expectedIds);

    const workerPids = new Set(workers.map((w) => String(w.child.pid)));
    const conn = redis.client();
    const processedBy = new Set<string>();
    for (const stage of STAGES) {
      const q = new Queue(stage, { connection: conn, prefix: '{copydesk}' });
      for (const job of await q.getJobs(['completed'], 0, -1)) processedBy.add(String(job.processedBy).split(':').pop()!);
      await q.close();
    }
    expect([...processedBy].sort()).toEqual([...workerPids].sort());
  });
});
