/**
 * How two fingerprints compare, and whether that makes a copy. Input: two signatures and
 * their set sizes. Output: estimated Jaccard and containment. Pure, no errors.
 *
 * Character noise in either text breaks shingles the two would otherwise share, so a copy's
 * estimated containment falls with the share of shingles intact in both (the product of the
 * texts' survivals, noise.ts): the threshold and the Jaccard floor fall with it. Hard
 * negatives lose shared shingles to noise in the same proportion, so they stay below.
 *
 * The Redis Lua script (redis-script.ts) does the very same arithmetic, in the same order,
 * so that the in-process and Redis indexes decide alike: change both together.
 */
import type { DedupeOptions } from './options.js';

export const SLOT_COLLISION = 1 / 256;

export interface Match {
  jaccard: number;
  /** Estimated share of the smaller text found in the larger: truncated copies score high. */
  containment: number;
}

export function compareSignatures(a: Uint8Array, sizeA: number, b: Uint8Array, sizeB: number): Match {
  let equal = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) equal++;
  return estimate(equal, a.length, sizeA, sizeB);
}

export function estimate(equal: number, slots: number, sizeA: number, sizeB: number): Match {
  // 8-bit slots agree by chance 1 time in 256: take that share out of the raw agreement.
  const jaccard = Math.max(0, (equal / slots - SLOT_COLLISION) / (1 - SLOT_COLLISION));
  const shared = (jaccard * (sizeA + sizeB)) / (1 + jaccard);
  const containment = Math.min(1, shared / Math.min(sizeA, sizeB));
  return { jaccard, containment };
}

/** The share of shared shingles expected to survive noise in both texts (survivals in 1/255ths), as both indexes compute it. */
export function pairSurvival(survivalA: number, survivalB: number): number {
  return (survivalA * survivalB) / 65025;
}

export function isCopy(m: Match, opts: DedupeOptions, survivalA = 255, survivalB = 255): boolean {
  const s = pairSurvival(survivalA, survivalB);
  return m.containment >= opts.containmentThreshold * s && m.jaccard >= opts.jaccardFloor * s;
}
