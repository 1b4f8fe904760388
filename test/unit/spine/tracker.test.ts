import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { FileTracker } from '../../../jobs/tracker.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('FileTracker', () => {
  let redis: Redis;
  let prefix: string;
  let tracker: FileTracker;
  const sha = 'a'.repeat(64);

  beforeEach(() => {
    redis = new Redis(REDIS_URL);
    prefix = `test-tracker-${randomBytes(4).toString('hex')}`;
    tracker = new FileTracker(redis, { prefix });
  });
  afterEach(async () => {
    const keys = await redis.keys(`{${prefix}}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });

  it('completes when every record and article is settled', async () => {
    expect((await tracker.open(sha, 'f.txt', 2)).complete).toBe(false);
    expect((await tracker.settle(sha, 'split.r0', 3 - 1)).pending).toBe(4); // record 0 → 3 articles
    expect((await tracker.settle(sha, 'split.r1', -1, 'dropped')).pending).toBe(3); // record 1 → nothing
    await tracker.settle(sha, 'store.a0.0', -1, 'stored');
    await tracker.settle(sha, 'store.a0.1', -1, 'duplicates');
    const last = await tracker.settle(sha, 'fail.0.2', -1, 'failed', { stage: 'classify', key: '0.2', code: 'E_X', message: 'boom' });
    expect(last).toEqual({ pending: 0, complete: true });
    const s = await tracker.summary(sha);
    expect(s).toMatchObject({ name: 'f.txt', stored: 1, duplicates: 1, dropped: 1, failed: 1 });
    expect(s.problems).toEqual([{ stage: 'classify', key: '0.2', code: 'E_X', message: 'boom' }]);
  });

  it('applies a retried token once', async () => {
    await tracker.open(sha, 'f.txt', 1);
    await tracker.settle(sha, 'split.r0', 1);
    await tracker.settle(sha, 'split.r0', 1);
    expect((await tracker.summary(sha)).pending).toBe(2);
    await tracker.settle(sha, 'store.a0.0', -1, 'stored');
    await tracker.settle(sha, 'store.a0.0', -1, 'stored');
    const s = await tracker.summary(sha);
    expect(s.pending).toBe(1);
    expect(s.stored).toBe(1);
  });

  it('reports a finished file as complete until it is finalized', async () => {
    await tracker.open(sha, 'f.txt', 1);
    expect((await tracker.settle(sha, 'split.r0', -1)).complete).toBe(true);
    // A retried job that finds nothing pending must still finalize (the first try may have died before moving the file).
    expect((await tracker.settle(sha, 'split.r0', -1)).complete).toBe(true);
    await tracker.markFinalized(sha, 'done');
    expect((await tracker.settle(sha, 'split.r0', -1)).complete).toBe(false);
    expect((await tracker.summary(sha)).state).toBe('finalized');
    expect(await redis.ttl(`{${prefix}}:cd:file:${sha}`)).toBeGreaterThan(0);
  });

  it('opens a file in one call, and leaves a finalized one alone, saying where it went', async () => {
    const opened = await tracker.open(sha, 'f.txt', 1);
    expect(opened).toEqual({ pending: 1, complete: false });
    expect((await tracker.open(sha, 'renamed.txt', 1)).pending).toBe(1); // a retried intake counts once, keeps the first name
    expect((await tracker.summary(sha)).name).toBe('f.txt');
    await tracker.settle(sha, 'intake.b0.end', -1);
    await tracker.markFinalized(sha, 'done', '/inbox/done/f.txt');
    expect(await tracker.open(sha, 'f.txt', 1)).toEqual({ pending: 0, complete: false, finalizedAs: 'done' });
    expect((await tracker.summary(sha)).pending).toBe(0);
  });
});
