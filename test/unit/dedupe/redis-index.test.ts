/** What only the Redis index has to prove: atomic decisions across connections, key expiry, agreement with the in-process index. */
import { describe, it, expect, afterAll } from 'vitest';
import { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { MemoryDedupeIndex } from '../../../src/dedupe/memory-index.js';
import { RedisDedupeIndex } from '../../../src/dedupe/redis-index.js';
import { contentHash, normalizeForHash } from '../../../src/dedupe/normalize.js';
import { candidate, deleteKeys, story, truncated } from './texts.js';

const a = new Redis(6379, '127.0.0.1', { maxRetriesPerRequest: 1 });
const b = new Redis(6379, '127.0.0.1', { maxRetriesPerRequest: 1 });
const prefixes: string[] = [];
const fresh = () => {
  const p = `{test}:dedupe:${randomUUID()}`;
  prefixes.push(p);
  return p;
};

afterAll(async () => {
  for (const p of prefixes) await deleteKeys(a, p);
  a.disconnect();
  b.disconnect();
});

describe('RedisDedupeIndex', () => {
  it('lets exactly one of two workers racing on near-identical articles become canonical', async () => {
    const prefix = fresh();
    const first = new RedisDedupeIndex(a, prefix);
    const second = new RedisDedupeIndex(b, prefix);
    for (let round = 0; round < 20; round++) {
      const text = story(1000 + round, 350);
      const [x, y] = await Promise.all([
        first.decide(candidate(`x${round}`, text)),
        second.decide(candidate(`y${round}`, `${truncated(text, 0.95)} breaking update`)),
      ]);
      const canonicals = [x, y].filter((r) => r.duplicateOf === null);
      expect(canonicals).toHaveLength(1);
      expect(x.clusterId).toBe(y.clusterId);
    }
  });

  it('decides with an injected clock that reads fractions of a millisecond (regression: PEXPIREAT refused them)', async () => {
    const prefix = fresh();
    const start = Date.now();
    let calls = 0;
    const index = new RedisDedupeIndex(a, prefix, {}, { now: () => start + 0.37 + calls++ * 1000.25 });
    const text = story(31, 300);
    const first = await index.decide(candidate('frac1', text));
    const copy = await index.decide(candidate('frac2', `${truncated(text, 0.9)} more`));
    expect(first.duplicateOf).toBeNull();
    expect(copy.duplicateOf).toBe('frac1');
  });

  it('puts an expiry on every key it writes but the article counter, within a window and a slice', async () => {
    const prefix = fresh();
    const windowMs = 10_000;
    const index = new RedisDedupeIndex(a, prefix, {}, { windowMs, slices: 2 });
    await index.decide(candidate('e1', story(20, 300)));
    const keys = (await a.keys(`${prefix}:*`)).filter((k) => !k.endsWith(':seq'));
    expect(keys.length).toBeGreaterThanOrEqual(index.options.bands);
    for (const key of keys) {
      const ttl = await a.pttl(key);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(windowMs * 1.5);
    }
  });

  it('sets the expiry of a bucket key once per slice, and keeps it while later articles of that slice add to it', async () => {
    const prefix = fresh();
    // 16 keys per slice: later articles write into keys earlier ones made
    const index = new RedisDedupeIndex(a, prefix, {}, { windowMs: 60_000, slices: 1 }, { shardBits: 4 });
    const bucketKeys = async () => (await a.keys(`${prefix}:*:h:*`)).sort();
    await index.decide(candidate('k0', story(30, 300)));
    const first = await bucketKeys();
    const expiries = new Map<string, number>();
    for (const key of first) expiries.set(key, Number(await a.call('PEXPIRETIME', key)));
    for (let i = 1; i <= 20; i++) await index.decide(candidate(`k${i}`, story(30 + i, 300)));
    const keys = await bucketKeys();
    expect(keys.length).toBeGreaterThan(first.length);
    for (const key of keys) {
      const at = Number(await a.call('PEXPIRETIME', key));
      expect(at, key).toBeGreaterThan(0);
      if (expiries.has(key)) expect(at, key).toBe(expiries.get(key));
    }
    expect((await index.decide(candidate('k21', story(35, 300)))).duplicateOf).toBe('k5');
  });

  it('drops a dead slice from a bucket key when a live slice next writes into it', async () => {
    const prefix = fresh();
    const t0 = Date.now();
    let offset = 0;
    const span = 30_000;
    // 16 bucket keys: the later article writes into keys the first one filled
    const index = new RedisDedupeIndex(a, prefix, {}, { windowMs: 2 * span, slices: 2, now: () => t0 + offset }, { shardBits: 4 });
    const old = story(40, 300);
    await index.decide(candidate('old', old));
    const oldTag = Math.floor(t0 / span) % 256;
    offset = 3.5 * span; // the first article's slice is no longer live
    const later = story(41, 300);
    await index.decide(candidate('new', later));
    const firstLive = Math.floor((t0 + offset - 2 * span) / span);
    const liveTags = new Set<number>();
    for (let sl = firstLive; sl <= Math.floor((t0 + offset) / span); sl++) liveTags.add(sl % 256);
    expect(liveTags.has(oldTag)).toBe(false);
    let rewritten = 0;
    for (const key of await a.keys(`${prefix}:*:h:*`)) {
      const marker = await a.hgetBuffer(key, '.');
      if (marker!.readInt32BE(4) !== Math.floor((t0 + offset) / span)) continue; // not written by the second article
      rewritten++;
      for (const f of (await a.hkeysBuffer(key)).filter((k) => k.length === 3)) expect(liveTags.has(f[0]!), key).toBe(true);
      expect(marker!.readInt32BE(0)).toBeGreaterThanOrEqual(firstLive);
    }
    expect(rewritten).toBeGreaterThan(8);
    // the expired article is not matched, the live one is
    expect((await index.decide(candidate('old-copy', old))).duplicateOf).toBeNull();
    expect((await index.decide(candidate('new-copy', later))).duplicateOf).toBe('new');
  });

  it('drops the index after the window, in Redis itself', async () => {
    const prefix = fresh();
    const index = new RedisDedupeIndex(a, prefix, {}, { windowMs: 300, slices: 1 });
    await index.decide(candidate('g1', story(21, 300)));
    await new Promise((r) => setTimeout(r, 900));
    expect((await a.keys(`${prefix}:*`)).filter((k) => !k.endsWith(':seq'))).toEqual([]);
    expect((await index.decide(candidate('g2', story(21, 300)))).duplicateOf).toBeNull();
  });

  it('keeps indexes of another fingerprint shape apart: an upgrade never reads foreign records', async () => {
    const prefix = fresh();
    const texts = [23, 24, 25, 26, 27].map((seed) => story(seed, 300));
    const previous = new RedisDedupeIndex(a, prefix, { shingleSize: 3, wordPrefix: 4, permutations: 128, bands: 32 });
    for (const [i, t] of texts.entries()) await previous.decide(candidate(`old${i}`, t));
    const current = new RedisDedupeIndex(b, prefix);
    for (const [i, t] of texts.entries()) {
      expect(await current.decide(candidate(`new${i}`, t))).toMatchObject({ duplicateOf: null, clusterId: `new${i}` });
    }
    expect((await current.decide(candidate('copy4', truncated(texts[4]!, 0.9)))).duplicateOf).toBe('new4');
  });

  it('rejects article ids it cannot store', async () => {
    const index = new RedisDedupeIndex(a, fresh());
    await expect(index.decide(candidate('x'.repeat(40), 'text'))).rejects.toMatchObject({ code: 'E_BAD_PAYLOAD' });
  });

  const DEV = new URL('../../../../shared/bench/dedup/dev.jsonl', import.meta.url).pathname;
  it.skipIf(!existsSync(DEV))('decides like the in-process index on the dev set (first 500 documents)', async () => {
    const docs = readFileSync(DEV, 'utf8').split('\n').filter(Boolean).slice(0, 500).map((l) => JSON.parse(l) as { id: string; text: string });
    const memory = new MemoryDedupeIndex();
    const shared = new RedisDedupeIndex(a, fresh());
    let duplicates = 0;
    for (const d of docs) {
      const paragraphs = d.text.split(/\n\s*\n/);
      const c = { articleId: d.id, contentHash: contentHash(paragraphs), normalizedText: normalizeForHash(paragraphs.join('\n')) };
      const [m, r] = [await memory.decide(c), await shared.decide(c)];
      expect(r).toEqual(m);
      if (m.duplicateOf) duplicates++;
    }
    expect(duplicates).toBeGreaterThan(20);
  });
});
