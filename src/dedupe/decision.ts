/**
 * The decision rule both indexes follow. Input: the LSH buckets a new text falls into and the
 * stored fingerprints they point at. Output: the best earlier copy, if any. Pure, no errors.
 *
 * Candidates are the earlier texts sharing the most LSH buckets (ties: earliest first), at
 * most `maxCandidates`; a candidate agreeing on fewer than `screenMin` of the first
 * SCREEN_SLOTS slots is dropped unread (most candidates only share common phrases, and Redis
 * then reads 32 bytes instead of the whole signature); the rest are verified on their
 * signature, against a threshold lowered by both texts' character noise (similarity.ts); the
 * best verified one (highest containment, ties: earliest) is the match. The Lua script in redis-script.ts mirrors this.
 */
import type { DedupeOptions } from './options.js';
import { compareSignatures, isCopy, type Match } from './similarity.js';

/** Article refs (sequence numbers) found in each bucket, in any order. */
export function rankCandidates(buckets: readonly (readonly number[])[], maxCandidates: number): number[] {
  const hits = new Map<number, number>();
  for (const refs of buckets) for (const seq of refs) hits.set(seq, (hits.get(seq) ?? 0) + 1);
  return [...hits.entries()]
    .sort((x, y) => y[1] - x[1] || x[0] - y[0])
    .slice(0, maxCandidates)
    .map(([seq]) => seq);
}

export interface StoredFingerprint {
  seq: number;
  size: number;
  signature: Uint8Array;
  /** Expected shingle survival under character noise, 1/255ths (noise.ts). */
  survival: number;
}

export interface BestMatch extends Match {
  seq: number;
}

export function bestMatch(
  signature: Uint8Array,
  size: number,
  survival: number,
  candidates: readonly StoredFingerprint[],
  opts: DedupeOptions,
): BestMatch | null {
  let best: BestMatch | null = null;
  for (const c of candidates) {
    if (agreeing(signature, c.signature, Math.min(SCREEN_SLOTS, signature.length)) < opts.screenMin) continue;
    const m = compareSignatures(signature, size, c.signature, c.size);
    if (!isCopy(m, opts, survival, c.survival)) continue;
    if (!best || m.containment > best.containment || (m.containment === best.containment && c.seq < best.seq)) {
      best = { ...m, seq: c.seq };
    }
  }
  return best;
}

/** Slots read first: a candidate agreeing on fewer than `screenMin` of them is not read further. */
export const SCREEN_SLOTS = 32;

function agreeing(a: Uint8Array, b: Uint8Array, slots: number): number {
  let equal = 0;
  for (let i = 0; i < slots; i++) if (a[i] === b[i]) equal++;
  return equal;
}
