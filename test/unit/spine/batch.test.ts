import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { RecordBatcher } from '../../../jobs/record-batcher.js';
import { batchJobId, eachItem } from '../../../jobs/batch.js';
import { FileTracker } from '../../../jobs/tracker.js';
import { badInput, transient, ERROR_CODES } from '../../../src/errors.js';
import type { FileTicket } from '../../../jobs/payloads.js';
import type { RawRecord } from '../../../src/schema/pipeline.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

const ticket = (name: string): FileTicket => ({ name, sha256: name.padEnd(64, '0').slice(0, 64).replace(/[^0-9a-f]/g, 'a'), size: 10, capturedAt: '2025-06-09T08:00:00.000Z', claimedPath: `/tmp/${name}` });
const record = (index: number, content = `record ${index}`): RawRecord => ({ index, origin: 'json-record', kind: 'text', content, hints: {} });

describe('batches after intake', () => {
  let redis: Redis;
  let prefix: string;
  let queue: Queue;

  beforeEach(() => {
    redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    prefix = `{test-batch-${randomBytes(4).toString('hex')}}`;
    queue = new Queue('clean', { connection: redis, prefix });
  });
  afterEach(async () => {
    await queue.obliterate({ force: true });
    await queue.close();
    redis.disconnect();
  });

  const jobs = async () => (await queue.getJobs(['waiting'])).map((j) => (j.data as { items: { file: FileTicket; record: RawRecord }[] }).items);

  it('gathers the records of several files into one clean job, queued before add() resolves', async () => {
    const batcher = new RecordBatcher(queue, { batchMaxItems: 32, batchMaxBytes: 1 << 20, batchLingerMs: 30 });
    await Promise.all([batcher.add(ticket('a'), [record(0)]), batcher.add(ticket('b'), [record(0), record(1)]), batcher.add(ticket('c'), [record(0)])]);
    const batches = await jobs();
    expect(batches).toHaveLength(1);
    expect(batches[0]!.map((i) => `${i.file.name}.${i.record.index}`)).toEqual(['a.0', 'b.0', 'b.1', 'c.0']);
  });

  it('cuts batches at the item and byte bounds', async () => {
    const batcher = new RecordBatcher(queue, { batchMaxItems: 3, batchMaxBytes: 1000, batchLingerMs: 5 });
    await batcher.add(ticket('a'), Array.from({ length: 7 }, (_, i) => record(i)));
    expect((await jobs()).map((b) => b.length).sort()).toEqual([1, 3, 3]);
    await queue.obliterate({ force: true });
    await batcher.add(ticket('b'), [record(0, 'x'.repeat(600)), record(1, 'y'.repeat(600))]);
    expect((await jobs()).map((b) => b.length)).toEqual([1, 1]);
  });

  it('names a batch by its items, so the same items queued again are one job', async () => {
    const items = [{ file: ticket('a'), key: 'r0' }, { file: ticket('b'), key: 'r3' }];
    expect(batchJobId(items)).toBe(batchJobId([...items]));
    expect(batchJobId(items)).not.toBe(batchJobId([...items].reverse()));
  });

  // Regression: with ids from (sha, key) alone, a replayed file's clean job took the id of its
  // first claim's finished job, BullMQ dropped the add, and the file never left .processing.
  it('gives a file claimed again (replay) new batch ids', () => {
    const first = { ...ticket('a'), claimedPath: '/inbox/.processing/m1abc__a.txt' };
    const again = { ...first, claimedPath: '/inbox/.processing/m2def__a.txt' };
    expect(batchJobId([{ file: first, key: 'r0' }])).not.toBe(batchJobId([{ file: again, key: 'r0' }]));
  });

  it('fails only the item with bad input; a transient error fails the whole batch', async () => {
    const refOf = (n: number) => ({ file: ticket('f'), key: `r${n}` });
    const { done, failed } = await eachItem([1, 2, 3], refOf, (n) => {
      if (n === 2) throw badInput(ERROR_CODES.UNSUPPORTED_FORMAT, 'item 2 is not an article');
      return n * 10;
    });
    expect(done.map((d) => d.result)).toEqual([10, 30]);
    expect(failed).toEqual([expect.objectContaining({ key: 'r2', code: ERROR_CODES.UNSUPPORTED_FORMAT })]);
    await expect(eachItem([1, 2], refOf, () => {
      throw transient(ERROR_CODES.STORE_UNAVAILABLE, 'store down');
    })).rejects.toThrow('store down');
  });

  it('with atOnce starts every item together, keeps their order, and still fails the batch on a transient error', async () => {
    const refOf = (n: number) => ({ file: ticket('f'), key: `r${n}` });
    let running = 0;
    let most = 0;
    const slow = async (n: number) => {
      most = Math.max(most, ++running);
      await new Promise((r) => setTimeout(r, 40 - n * 10)); // later items finish first
      running--;
      if (n === 2) throw badInput(ERROR_CODES.UNSUPPORTED_FORMAT, 'item 2 is not an article');
      return n * 10;
    };
    const { done, failed } = await eachItem([1, 2, 3], refOf, slow, { atOnce: true });
    expect(most).toBe(3);
    expect(done.map((d) => d.result)).toEqual([10, 30]);
    expect(failed).toEqual([expect.objectContaining({ key: 'r2' })]);
    const settled: number[] = [];
    await expect(
      eachItem([1, 2, 3], refOf, async (n) => {
        await new Promise((r) => setTimeout(r, 5));
        settled.push(n);
        if (n === 2) throw transient(ERROR_CODES.STORE_UNAVAILABLE, 'store down');
        return n;
      }, { atOnce: true }),
    ).rejects.toThrow('store down');
    expect(settled.sort()).toEqual([1, 2, 3]); // nothing is left running behind the failed batch
  });

  it('settles changes of several files in one call, each token once', async () => {
    const tracker = new FileTracker(redis, { prefix: prefix.slice(1, -1) });
    await tracker.open('a'.repeat(64), 'a', 1);
    await tracker.open('b'.repeat(64), 'b', 2);
    const changes = [
      { sha: 'a'.repeat(64), token: 'store.a0', delta: -1, counter: 'stored' },
      { sha: 'b'.repeat(64), token: 'store.a0', delta: -1, counter: 'stored' },
    ];
    expect((await tracker.settleMany(changes)).map((r) => r.complete)).toEqual([true, false]);
    expect((await tracker.settleMany(changes)).map((r) => r.pending)).toEqual([0, 1]);
    expect((await tracker.summary('b'.repeat(64))).stored).toBe(1);
    const keys = await redis.keys(`${prefix}:cd:*`);
    if (keys.length) await redis.del(...keys);
  });
});
