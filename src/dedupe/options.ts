/**
 * The near-duplicate detector's tunables, in one checked place. Defaults were tuned on the
 * dedup dev set (test/bench/dedupe.bench.ts): word 3-shingles over 4-letter word prefixes
 * (plurals, inflections and typos past the 4th letter do not break a shingle); containment
 * because truncated copies are the common case; 0.65 because followups and site-wrapped
 * short stories share up to ~0.6 of the smaller text with another story; two rows per LSH
 * band because a short truncated copy has a low Jaccard with its original.
 */
import { z } from 'zod';
import { badInput, ERROR_CODES } from '../errors.js';

export const DedupeOptionsSchema = z
  .object({
    /** What a shingle is made of: characters of the normalized text, or words. */
    shingleUnit: z.enum(['chars', 'words']).default('words'),
    /** Shingle length, in characters or words. */
    shingleSize: z.number().int().min(1).max(32).default(3),
    /** Word shingles: only the first `wordPrefix` letters of each word count (0: all of it). A typo past them changes nothing. */
    wordPrefix: z.number().int().min(0).max(32).default(4),
    /** MinHash slots (one-permutation hashing bins). A power of two. */
    permutations: z.number().int().min(16).max(1024).default(128),
    /** LSH bands of `rows` slots each, over the first bands × rows slots. Few rows per band, because
     * a truncated copy's Jaccard with its original is low even when containment is high. */
    bands: z.number().int().min(1).max(250).default(32),
    rows: z.number().int().min(1).max(32).default(2),
    /** Estimated containment (of the smaller text in the larger) at or above which it is a copy. */
    containmentThreshold: z.number().min(0).max(1).default(0.65),
    /** Estimated Jaccard below which no containment is believed (round-ups, hard negatives). */
    jaccardFloor: z.number().min(0).max(1).default(0.1),
    /** Texts with fewer distinct shingles than this are matched exactly only. */
    minShingles: z.number().int().min(1).default(30),
    /** Seed of the shingle hash: every index that must agree uses the same seed. */
    seed: z.number().int().min(0).max(0xffffffff).default(0x9e3779b1),
    /** Refs kept per LSH bucket (newest win): boilerplate cannot grow a bucket without bound. */
    maxBucketRefs: z.number().int().min(1).max(1024).default(16),
    /** At most this many candidates are verified per decision. */
    maxCandidates: z.number().int().min(1).max(4096).default(64),
  })
  .refine((o) => (o.permutations & (o.permutations - 1)) === 0, { message: 'permutations must be a power of two' })
  .refine((o) => o.bands * o.rows <= o.permutations, { message: 'bands × rows must not exceed permutations' });

export type DedupeOptions = z.infer<typeof DedupeOptionsSchema>;
export type DedupeOptionsInput = z.input<typeof DedupeOptionsSchema>;

export function dedupeOptions(input: DedupeOptionsInput = {}): DedupeOptions {
  const parsed = DedupeOptionsSchema.safeParse(input);
  if (!parsed.success) throw badInput(ERROR_CODES.CONFIG, `invalid dedupe options: ${parsed.error.message}`);
  return parsed.data;
}

export const DEFAULT_DEDUPE_OPTIONS: DedupeOptions = dedupeOptions();
