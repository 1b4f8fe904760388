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
  const distinct = new HashSet32(text.length);
  const offer = (h: number): void => {
    if (!distinct.add(h)) return;
    const bin = h & (k - 1);
    const value = h >>> binBits;
    if (value < mins[bin]!) mins[bin] = value;
  };
  if (opts.shingleUnit === 'chars') charShingles(text, opts, offer);
  else wordShingles(text, opts, offer);
  const signature = new Uint8Array(k);
  const full = new Uint32Array(k);
  if (distinct.size > 0) {
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
  return { size: distinct.size, signature, bandKeys: bandKeys(full, opts), survival: shingleSurvival(text, opts) };
}

function charShingles(text: string, opts: DedupeOptions, offer: (h: number) => void): void {
  const n = opts.shingleSize;
  for (let i = 0; i + n <= text.length; i++) offer(fnv1a(text, i, i + n, opts.seed));
}

/**
 * Word shingles in one pass over the text, without splitting it: each word is hashed on its
 * first `wordPrefix` letters as it ends, and the last `shingleSize` word hashes (a ring)
 * make the shingle. Words are the runs between spaces.
 */
function wordShingles(text: string, opts: DedupeOptions, offer: (h: number) => void): void {
  const n = opts.shingleSize;
  const prefix = opts.wordPrefix || Infinity;
  const ring = new Uint32Array(n);
  let words = 0;
  let start = -1;
  for (let i = 0; i <= text.length; i++) {
    const boundary = i === text.length || text.charCodeAt(i) === 32;
    if (!boundary) {
      if (start < 0) start = i;
      continue;
    }
    if (start < 0) continue;
    ring[words % n] = fnv1a(text, start, Math.min(i, start + prefix), opts.seed);
    words++;
    start = -1;
    if (words < n) continue;
    let h = opts.seed;
    for (let j = words - n; j < words; j++) h = fmix32((Math.imul(h, 31) + ring[j % n]!) >>> 0);
    offer(h);
  }
}

/**
 * A set of 32-bit values in one typed array (open addressing): a shingle hash above 2^30 is
 * not a small integer to V8, so a Set<number> would allocate for each one.
 */
class HashSet32 {
  size = 0;
  private readonly slots: Uint32Array;
  private readonly used: Uint8Array;
  private readonly mask: number;

  /** Room for `expected` values at most half full. */
  constructor(expected: number) {
    let capacity = 16;
    while (capacity < 2 * expected) capacity *= 2;
    this.slots = new Uint32Array(capacity);
    this.used = new Uint8Array(capacity);
    this.mask = capacity - 1;
  }

  /** Adds h; false when it was there already. */
  add(h: number): boolean {
    let i = fmix32(h) & this.mask;
    while (this.used[i]) {
      if (this.slots[i] === h) return false;
      i = (i + 1) & this.mask;
    }
    this.used[i] = 1;
    this.slots[i] = h;
    this.size++;
    return true;
  }
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
