/** The same cluster semantics, retries, window and rebuild, on the in-process and the Redis index. */
import { describe, it, expect, afterAll } from 'vitest';
import { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { MemoryDedupeIndex } from '../../../src/dedupe/memory-index.js';
import { RedisDedupeIndex } from '../../../src/dedupe/redis-index.js';
import type { DedupeIndex } from '../../../src/dedupe/index-types.js';
import type { IndexWindowInput } from '../../../src/dedupe/window.js';
import { ARTICLE, FOLLOW_UP, candidate, corrupted, deleteKeys, story, truncated } from './texts.js';

const redis = new Redis(6379, '127.0.0.1', { maxRetriesPerRequest: 1 });
const prefixes: string[] = [];

afterAll(async () => {
  for (const p of prefixes) await deleteKeys(redis, p);
  redis.disconnect();
});

type Make = (window?: IndexWindowInput) => DedupeIndex;
const drivers: [string, Make][] = [
  ['memory', (w) => new MemoryDedupeIndex({}, w)],
  [
    'redis',
    (w) => {
      const prefix = `{test}:dedupe:${randomUUID()}`;
      prefixes.push(prefix);
      return new RedisDedupeIndex(redis, prefix, {}, w);
    },
  ],
];

describe.each(drivers)('%s dedupe index', (_name, make) => {
  it('makes the first article canonical and an exact copy its duplicate', async () => {
    const index = make();
    const text = story(10, 300);
    const first = await index.decide(candidate('a1', text));
    expect(first).toMatchObject({ clusterId: 'a1', duplicateOf: null, method: null, similarity: 1 });
    const copy = await index.decide(candidate('a2', text));
    expect(copy).toMatchObject({ clusterId: 'a1', duplicateOf: 'a1', method: 'exact', similarity: 1 });
  });

  it('joins a near copy to the cluster of its best earlier match and never relabels the canonical', async () => {
    const index = make();
    const text = story(11, 600);
    await index.decide(candidate('base', text));
    await index.decide(candidate('other', story(12, 600)));
    const part = await index.decide(candidate('part', truncated(text, 0.5)));
    expect(part).toMatchObject({ clusterId: 'base', duplicateOf: 'base', method: 'near' });
    expect(part.similarity).toBeGreaterThan(0.8);
    // a copy of the copy joins the same cluster, whichever member it matched best
    const partOfPart = await index.decide(candidate('pp', `${truncated(text, 0.4)} ${story(13, 20)}`));
    expect(partOfPart.clusterId).toBe('base');
    expect(await index.decide(candidate('base', text))).toMatchObject({ clusterId: 'base', duplicateOf: null });
  });

  it('answers a retry exactly as the first time, even after the index changed', async () => {
    const index = make();
    const text = story(14, 400);
    const a = await index.decide(candidate('r1', text));
    const b = await index.decide(candidate('r2', truncated(text, 0.8)));
    await index.decide(candidate('r3', text));
    expect(await index.decide(candidate('r1', text))).toEqual(a);
    expect(await index.decide(candidate('r2', truncated(text, 0.8)))).toEqual(b);
  });

  it('does not match different short stories that share site boilerplate', async () => {
    const index = make();
    const chrome = story(15, 150);
    const results = [];
    for (let i = 0; i < 6; i++) results.push(await index.decide(candidate(`s${i}`, `${chrome} ${story(100 + i, 220)}`)));
    expect(results.map((r) => r.duplicateOf)).toEqual([null, null, null, null, null, null]);
    // while the same story on that site is still found
    const again = await index.decide(candidate('s0-again', `${chrome} ${truncated(story(100, 220), 0.9)}`));
    expect(again.clusterId).toBe('s0');
  });

  it('joins a copy corrupted by character noise to its corrupted original, and not a corrupted follow-up', async () => {
    const index = make();
    await index.decide(candidate('n1', corrupted(ARTICLE, 0.05, 1)));
    expect(await index.decide(candidate('n2', corrupted(FOLLOW_UP, 0.05, 2)))).toMatchObject({ clusterId: 'n2', duplicateOf: null });
    expect(await index.decide(candidate('n3', corrupted(ARTICLE, 0.05, 3)))).toMatchObject({ clusterId: 'n1', duplicateOf: 'n1', method: 'near' });
  });

  it('matches texts below the minimum size exactly only', async () => {
    const index = make();
    const short = story(16, 20);
    await index.decide(candidate('t1', short));
    expect((await index.decide(candidate('t2', short))).duplicateOf).toBe('t1');
    expect((await index.decide(candidate('t3', `${short} and one more`))).duplicateOf).toBeNull();
  });

  it('forgets entries older than the window', async () => {
    // near the real time: Redis expires keys by its own clock
    let now = Date.now();
    const index = make({ windowMs: 60_000, slices: 2, now: () => now });
    const text = story(17, 300);
    await index.decide(candidate('w1', text));
    now += 59_000;
    expect((await index.decide(candidate('w2', truncated(text, 0.9)))).clusterId).toBe('w1');
    now += 59_999;
    // w1 is 118.999 s old, w2 59.999 s: w2 is still there
    expect((await index.decide(candidate('w3', text))).duplicateOf).toBe('w2');
    now += 61_000;
    expect(await index.decide(candidate('w4', text))).toMatchObject({ clusterId: 'w4', duplicateOf: null });
  });

  it('rebuilds from stored decisions without deciding again', async () => {
    const index = make();
    const text = story(18, 500);
    const report = await index.rebuild!([
      { id: 'k1', dedupe: { contentHash: 'h1', clusterId: 'k1', duplicateOf: null }, paragraphs: [text] },
      { id: 'k2', dedupe: { contentHash: 'h2', clusterId: 'k1', duplicateOf: 'k1', similarity: 0.9, method: 'near' }, body: truncated(text, 0.7) },
      { id: 'old', capturedAt: '2001-01-01T00:00:00Z', dedupe: { contentHash: 'h3', clusterId: 'old', duplicateOf: null }, body: story(19, 300) },
    ]);
    expect(report).toEqual({ inserted: 2, present: 0, expired: 1 });
    expect(await index.rebuild!([{ id: 'k1', dedupe: { contentHash: 'h1', clusterId: 'k1', duplicateOf: null }, paragraphs: [text] }])).toEqual({
      inserted: 0,
      present: 1,
      expired: 0,
    });
    expect(await index.decide(candidate('k2', 'whatever the text'))).toMatchObject({ clusterId: 'k1', duplicateOf: 'k1', method: 'near', similarity: 0.9 });
    expect((await index.decide(candidate('k3', truncated(text, 0.6)))).clusterId).toBe('k1');
    expect((await index.decide(candidate('k4', story(19, 300)))).duplicateOf).toBeNull();
  });
});
