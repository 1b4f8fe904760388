/** Seeded news-like texts for the dedupe tests: distinct stories share words, never passages. */
import { normalizeForHash, contentHash } from '../../../src/dedupe/normalize.js';
import type { Redis } from 'ioredis';
import type { DedupeCandidate } from '../../../src/dedupe/index-types.js';

export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const random = seeded(42);
const VOCABULARY = Array.from({ length: 3000 }, () =>
  Array.from({ length: 2 + Math.floor(random() * 8) }, () => 'abcdefghijklmnopqrstuvwxyz'[Math.floor(random() * 26)]).join(''),
);

/** A story of `words` words drawn from a shared vocabulary. */
export function story(seed: number, words: number): string {
  const r = seeded(seed);
  return Array.from({ length: words }, () => VOCABULARY[Math.floor(r() * VOCABULARY.length)]).join(' ');
}

export function candidate(articleId: string, text: string): DedupeCandidate {
  return { articleId, contentHash: contentHash([text]), normalizedText: normalizeForHash(text) };
}

/** The first `share` of a text's words: a truncated copy. */
export function truncated(text: string, share: number): string {
  const words = text.split(' ');
  return words.slice(0, Math.round(words.length * share)).join(' ');
}

/** Removes a test's keys (tests share the Redis on 6379, each under its own prefix). */
export async function deleteKeys(client: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    if (keys.length) await client.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}
