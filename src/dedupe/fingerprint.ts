/**
 * MinHash fingerprint of a normalized text. Input: normalized text (see normalize.ts) and the
 * options. Output: the number of distinct shingles, the signature (one 8-bit slot per bin),
 * one LSH bucket key per band and the share of shingles expected to have survived character
 * noise (noise.ts). Pure, no errors.
 *
 * Shingles are runs of words (by default each cut to its first letters, so a typo late in a
 * word or an inflection does not break the shingle) or character n-grams. One-permutation
 * hashing (each shingle hashed once into one of `permutations` bins, the minimum kept per bin,
 * empty bins filled from their right neighbour) gives a MinHash signature at the cost of one
 * 32-bit hash per shingle instead of one per shingle and permutation.
 * Slots are stored in 8 bits to keep the index small: two different minima collide with
 * probability 1/256, which similarity.ts corrects for.
 */
import { fmix32, fnv1a } from './hash.js';
import { shingleSurvival } from './noise.js';
import type { DedupeOptions } from './options.js';

export interface Fingerprint {
  /** Distinct shingles: the set size containment is estimated from. */
  size: number;
  signature: Uint8Array;
  bandKeys: Uint32Array;
  /** Expected share of the shingles intact despite character noise, in 1/255ths (255: clean). */
  survival: number;
}

const EMPTY = 0xffffffff;
/** Offsets the value borrowed by an empty bin, so it differs from its neighbour's own. */
const BORROW_STEP = 0x9e3779b9;

export function fingerprint(text: string, opts: DedupeOptions): Fingerprint {
  const k = opts.permutations;
  const binBits = Math.log2(k);
  const mins = new Uint32Array(k).fill(EMPTY);
  const seen = new Set<number>();
  for (const h of shingleHashes(text, opts)) {
    if (seen.has(h)) continue;
    seen.add(h);
    const bin = h & (k - 1);
    const value = h >>> binBits;
    if (value < mins[bin]!) mins[bin] = value;
  }
  const signature = new Uint8Array(k);
  const full = new Uint32Array(k);
  if (seen.size > 0) {
    for (let b = 0; b < k; b++) {
      let src = b;
      let distance = 0;
      while (mins[src] === EMPTY) {
        src = (src + 1) & (k - 1);
        distance++;
      }
      full[b] = fmix32((mins[src]! + Math.imul(distance, BORROW_STEP)) >>> 0);
      signature[b] = full[b]! & 0xff;
    }
  }
  return { size: seen.size, signature, bandKeys: bandKeys(full, opts), survival: shingleSurvival(text, opts) };
}

function shingleHashes(text: string, opts: DedupeOptions): Uint32Array {
  const n = opts.shingleSize;
  if (opts.shingleUnit === 'chars') {
    const out = new Uint32Array(Math.max(0, text.length - n + 1));
    for (let i = 0; i < out.length; i++) out[i] = fnv1a(text, i, i + n, opts.seed);
    return out;
  }
  const words = text.split(' ').filter(Boolean);
  const prefix = opts.wordPrefix || Infinity;
  const wordHashes = words.map((w) => fnv1a(w, 0, Math.min(w.length, prefix), opts.seed));
  const out = new Uint32Array(Math.max(0, words.length - n + 1));
  for (let i = 0; i < out.length; i++) {
    let h = opts.seed;
    for (let j = 0; j < n; j++) h = fmix32((Math.imul(h, 31) + wordHashes[i + j]!) >>> 0);
    out[i] = h;
  }
  return out;
}

function bandKeys(full: Uint32Array, opts: DedupeOptions): Uint32Array {
  const rows = opts.rows;
  const keys = new Uint32Array(opts.bands);
  for (let band = 0; band < opts.bands; band++) {
    let h = Math.imul(band + 1, 0x27d4eb2d) >>> 0;
    for (let r = 0; r < rows; r++) h = fmix32((h ^ full[band * rows + r]!) >>> 0);
    keys[band] = h;
  }
  return keys;
}
