/**
 * The decision rule both indexes follow. Input: the LSH buckets a new text falls into and the
 * stored fingerprints they point at. Output: the best earlier copy, if any. Pure, no errors.
 *
 * Candidates are the earlier texts sharing the most LSH buckets (ties: earliest first), at
 * most `maxCandidates`; each is verified on its signature; the best verified one (highest
 * containment, ties: earliest) is the match. The Lua script in redis-script.ts mirrors this.
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
}

export interface BestMatch extends Match {
  seq: number;
}

export function bestMatch(
  signature: Uint8Array,
  size: number,
  candidates: readonly StoredFingerprint[],
  opts: DedupeOptions,
): BestMatch | null {
  let best: BestMatch | null = null;
  for (const c of candidates) {
    const m = compareSignatures(signature, size, c.signature, c.size);
    if (!isCopy(m, opts)) continue;
    if (!best || m.containment > best.containment || (m.containment === best.containment && c.seq < best.seq)) {
      best = { ...m, seq: c.seq };
    }
  }
  return best;
}
