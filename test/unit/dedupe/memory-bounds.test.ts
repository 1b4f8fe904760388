/**
 * The in-process index (`copydesk process`) keeps its memory bounded whatever the input's size:
 * it remembers at most `maxArticles` articles, forgetting the oldest first, and its buckets
 * keep each bucket's newest refs as the Redis index does.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MemoryDedupeIndex } from '../../../src/dedupe/memory-index.js';
import { RECORDS_PER_BLOCK } from '../../../src/dedupe/redis-script.js';
import { RefTable } from '../../../src/dedupe/ref-table.js';
import { candidate, story, truncated } from './texts.js';

describe('in-process dedupe index memory', () => {
  it('stays flat past its article bound and forgets the oldest articles first', async () => {
    const maxArticles = 2 * RECORDS_PER_BLOCK;
    const index = new MemoryDedupeIndex({}, {}, { maxArticles });
    const bytesAt: number[] = [];
    for (let i = 0; i < 6 * RECORDS_PER_BLOCK; i++) {
      await index.decide(candidate(`a${i}`, story(i, 120)));
      if ((i + 1) % RECORDS_PER_BLOCK === 0) bytesAt.push(index.bytes);
    }
    // after the bound is reached, more articles do not mean more memory
    expect(Math.max(...bytesAt.slice(3))).toBeLessThanOrEqual(bytesAt[2]! * 1.2);
    expect(index.bytes / maxArticles).toBeLessThan(1500);

    // an early story is forgotten: its copy is taken for a new story …
    const early = await index.decide(candidate('copy-of-a0', truncated(story(0, 120), 0.9)));
    expect(early.duplicateOf).toBeNull();
    // … a recent one is remembered
    const last = 6 * RECORDS_PER_BLOCK - 1;
    const recent = await index.decide(candidate('copy-of-last', truncated(story(last, 120), 0.9)));
    expect(recent).toMatchObject({ duplicateOf: `a${last}`, clusterId: `a${last}`, method: 'near' });
    // and a retry of a remembered article gets its answer back, unchanged
    await expect(index.decide(candidate('copy-of-last', 'other text entirely'))).resolves.toEqual({ ...recent, contentHash: expect.any(String) });
  });

  it('refuses article ids that do not fit a record, as the Redis index does', async () => {
    const index = new MemoryDedupeIndex();
    await expect(index.decide(candidate('x'.repeat(40), 'text'))).rejects.toMatchObject({ code: 'E_BAD_PAYLOAD' });
  });
});

describe('RefTable', () => {
  /** A plain model: every ref ever added per bucket, newest first, the cap applied to the live ones at add time. */
  function model(maxRefs: number, isLive: (r: number) => boolean) {
    const buckets = new Map<string, number[]>();
    return {
      add(tag: number, key: number, ref: number) {
        const refs = (buckets.get(`${tag}:${key}`) ?? []).filter(isLive);
        refs.unshift(ref);
        buckets.set(`${tag}:${key}`, refs.slice(0, maxRefs));
      },
      get: (tag: number, key: number) => (buckets.get(`${tag}:${key}`) ?? []).filter(isLive),
    };
  }

  it('returns what a plain map of capped lists returns, through growth, evictions and rebuilds', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.array(fc.record({ tag: fc.integer({ min: 0, max: 3 }), key: fc.integer({ min: 0, max: 40 }), evict: fc.boolean() }), { minLength: 1, maxLength: 3000 }),
        (maxRefs, ops) => {
          let firstLive = 1;
          const isLive = (r: number) => r >= firstLive;
          const table = new RefTable(maxRefs, isLive);
          const plain = model(maxRefs, isLive);
          ops.forEach((op, i) => {
            const ref = i + 1;
            // keys spread wide too, so the table must grow past its first size
            const key = op.key * 0x01000193 + (i % 7) * 0x9e3779b1;
            table.add(op.tag, key >>> 0, ref);
            plain.add(op.tag, key >>> 0, ref);
            if (op.evict && i % 50 === 0) firstLive = Math.max(firstLive, ref - 200);
          });
          for (let i = 0; i < ops.length; i++) {
            const key = (ops[i]!.key * 0x01000193 + (i % 7) * 0x9e3779b1) >>> 0;
            expect(table.get(ops[i]!.tag, key)).toEqual(plain.get(ops[i]!.tag, key));
          }
        },
      ),
      { seed: 20261129, numRuns: 60 },
    );
  });
});
