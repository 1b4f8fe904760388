/**
 * Regression: the workers' close after the shutdown bound used to wait forever when Redis was
 * away (BullMQ's forced close still talks to Redis). It is now bounded: shutdown bound + about
 * two seconds, whatever Redis does.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { Queue } from 'bullmq';
import { pino } from 'pino';
import { loadConfig } from '../../../src/config.js';
import { connectRedis } from '../../../jobs/redis.js';
import { startWorkers } from '../../../jobs/worker.js';
import { bullPrefix } from '../../../jobs/queues.js';
import type { JobContext } from '../../../jobs/context.js';
import { cleanupTestRedis, startTestRedis, type TestRedis } from '../../helpers/redis-server.js';
import { waitFor } from '../../helpers/cli.js';

const SHUTDOWN_MS = 500;

describe('workers close within the bound with Redis away', () => {
  let redis: TestRedis | undefined;

  afterAll(async () => {
    if (redis) await cleanupTestRedis(redis);
  });

  it('returns from close(timeout) even when Redis went away mid-job', { timeout: 60_000 }, async () => {
    redis = await startTestRedis();
    const config = loadConfig({ REDIS_URL: redis.url, COPYDESK_PREFIX: 'workerclose' });
    const connection = connectRedis(redis.url, { name: 'worker-close-test' });
    let entered = false;
    // A job that never finishes: the payload is invalid, and counting the failure never returns.
    const stats = {
      count: () => {
        entered = true;
        return new Promise<void>(() => undefined);
      },
    };
    const ctx = { config, logger: pino({ level: 'silent' }), stats } as unknown as JobContext;
    const running = startWorkers(ctx, ['intake'], connection);
    const queue = new Queue('intake', { connection: redis.client(), prefix: bullPrefix(config) });
    await queue.add('intake', { not: 'a ticket' });
    await waitFor('the job to be active', async () => entered, 30_000, 20);
    await queue.close();

    await redis.stop('SIGKILL');
    const started = Date.now();
    await running.close(SHUTDOWN_MS);
    const ms = Date.now() - started;
    connection.disconnect();
    expect(ms).toBeLessThan(SHUTDOWN_MS + 2 * 1000 + 1500);
  });
});
