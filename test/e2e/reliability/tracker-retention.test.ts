/**
 * Regression: Redis memory grew by three tracker keys per file for a week (measured in the soak:
 * ~3 keys and ~4.7 KB per file after job retention had levelled off). Once a file is finalized
 * only its small hash remains, and a late retry cannot bring the rest back.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { FileTracker } from '../../../jobs/tracker.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('file tracker retention', () => {
  let redis: Redis;
  let prefix: string;
  let tracker: FileTracker;
  const sha = 'b'.repeat(64);

  beforeEach(() => {
    redis = new Redis(REDIS_URL);
    prefix = `test-retention-${randomBytes(4).toString('hex')}`;
    tracker = new FileTracker(redis, { prefix });
  });
  afterEach(async () => {
    const keys = await redis.keys(`{${prefix}}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });

  it('keeps only the expiring hash of a finalized file', async () => {
    await tracker.open(sha, 'f.txt', 1);
    await tracker.settle(sha, 'store.a0', -1, 'failed', { stage: 'store', key: '0', code: 'E_X', message: 'boom' });
    expect((await redis.keys(`{${prefix}}*`)).length).toBe(3);
    await tracker.markFinalized(sha, 'failed');
    const left = await redis.keys(`{${prefix}}*`);
    expect(left).toEqual([`{${prefix}}:cd:file:${sha}`]);
    expect(await redis.ttl(left[0]!)).toBeGreaterThan(0);
    expect((await tracker.summary(sha)).state).toBe('finalized');
  });

  it('ignores a late retry after finalization', async () => {
    await tracker.open(sha, 'f.txt', 1);
    expect((await tracker.settle(sha, 'store.a0', -1, 'stored')).complete).toBe(true);
    await tracker.markFinalized(sha, 'done');
    const late = await tracker.settle(sha, 'store.a1', -1, 'stored', { stage: 'store', key: '1', code: 'E_X', message: 'late' });
    expect(late.complete).toBe(false);
    expect((await tracker.summary(sha)).stored).toBe(1);
    expect(await redis.keys(`{${prefix}}*`)).toEqual([`{${prefix}}:cd:file:${sha}`]);
  });
});
