/** A throwaway pipeline namespace for monitor tests: unique prefix, temp inbox, real Redis. */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import pino from 'pino';
import { loadConfig, type Config, type ConfigOverrides } from '../../../src/config.js';
import { bullPrefix, closeQueues, openQueues, type StageQueues } from '../../../jobs/queues.js';
import { PipelineStats } from '../../../jobs/stats.js';
import type { Stage } from '../../../src/config.js';

export const LOCAL_REDIS = 'redis://127.0.0.1:6379';

export interface Fixture {
  config: Config;
  dir: string;
  redis: Redis;
  queues: StageQueues;
  stats: PipelineStats;
  logger: pino.Logger;
  workers: Worker[];
  /** A worker on `stage` that runs `fn`; closed by cleanup(). */
  work(stage: Stage, fn: (job: Job) => Promise<unknown>): Worker;
  cleanup(): Promise<void>;
}

export async function createFixture(overrides: ConfigOverrides = {}, redisUrl = LOCAL_REDIS): Promise<Fixture> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'copydesk-monitor-'));
  const config = loadConfig({}, { prefix: `test-mon-${randomBytes(4).toString('hex')}`, inbox: path.join(dir, 'inbox'), out: path.join(dir, 'out'), attempts: 1, storeAttempts: 1, ...overrides });
  for (const d of [config.inbox, config.doneDir, config.failedDir, config.processingDir]) await mkdir(d, { recursive: true });
  const redis = quiet(new Redis(redisUrl, { maxRetriesPerRequest: null }));
  const queues = openQueues(config, redis);
  for (const q of Object.values(queues)) q.on('error', () => {});
  const stats = new PipelineStats(redis, config);
  const workers: Worker[] = [];
  const workerConnections: Redis[] = [];
  return {
    config,
    dir,
    redis,
    queues,
    stats,
    logger: pino({ level: 'silent' }),
    workers,
    work(stage, fn) {
      const connection = quiet(new Redis(redisUrl, { maxRetriesPerRequest: null }));
      workerConnections.push(connection);
      const w = new Worker(stage, fn, { connection, prefix: bullPrefix(config) });
      workers.push(w);
      return w;
    },
    async cleanup() {
      for (const w of workers) await w.close();
      for (const c of workerConnections) c.disconnect();
      await deleteKeys(redis, `${bullPrefix(config)}*`);
      await closeQueues(queues);
      redis.disconnect();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Connection errors are expected in tests that stop Redis; ioredis would print each one. */
function quiet(redis: Redis): Redis {
  redis.on('error', () => {});
  return redis;
}

export async function deleteKeys(redis: Redis, pattern: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    if (keys.length) await redis.del(...keys);
  } while (cursor !== '0');
}

export async function touch(file: string, text = 'x'): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, text);
}

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Job data shaped like the pipeline's: the inbox file the job belongs to. */
export function fileData(name: string, extra: Record<string, unknown> = {}) {
  return { file: { name, sha256: 'f'.repeat(64), size: 1, capturedAt: new Date(0).toISOString(), claimedPath: `/nowhere/${name}` }, ...extra };
}
