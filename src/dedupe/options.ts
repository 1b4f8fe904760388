/**
 * The near-duplicate detector's tunables, in one checked place. Defaults were tuned on the
 * dedup dev set (test/bench/dedupe.bench.ts), clean and with 5% of characters corrupted:
 * word 2-shingles over 3-letter word prefixes (plurals, inflections and typos past the 3rd
 * letter do not break a shingle, and a shingle spans few characters, so character noise
 * breaks fewer of them: ~72% of a text's shingles survive 5% noise, against ~52% for
 * 3-shingles over 4-letter prefixes); 256 slots, because the estimate must stay sharp at
 * the low containments of noisy copies; containment because truncated copies are the common
 * case; 0.68 because followups and site-wrapped short stories share up to ~0.6 of the
 * smaller text with another story; two rows per LSH band because a short truncated copy has
 * a low Jaccard with its original. The threshold and the Jaccard floor are lowered for texts
 * that show character noise, by the share of shingles expected to survive in both (noise.ts).
 */
import { z } from 'zod';
import { badInput, ERROR_CODES } from '../errors.js';
import { fnv1a } from './hash.js';

export const DedupeOptionsSchema = z
  .object({
    /** What a shingle is made of: characters of the normalized text, or words. */
    shingleUnit: z.enum(['chars', 'words']).default('words'),
    /** Shingle length, in characters or words. */
    shingleSize: z.number().int().min(1).max(32).default(2),
    /** Word shingles: only the first `wordPrefix` letters of each word count (0: all of it). A typo past them changes nothing. */
    wordPrefix: z.number().int().min(0).max(32).default(3),
    /** MinHash slots (one-permutation hashing bins), one byte each in the index. A power of two. 256: a noisy
     * copy's containment (~0.35–0.5) must be told from a noisy hard negative's (~0.2–0.3); 128 slots blur them. */
    permutations: z.number().int().min(16).max(1024).default(256),
    /** LSH bands of `rows` slots each, over the first bands × rows slots. Few rows per band, because
     * a truncated copy's Jaccard with its original is low even when containment is high. 26 bands: every band
     * is a read and a write in Redis per decision; 32 found a few more noisy copies (ARI +0.01) but cost
     * ~10% of the decision rate, 24 lost 0.007 ARI on noisy copies. */
    bands: z.number().int().min(1).max(250).default(26),
    rows: z.number().int().min(1).max(32).default(2),
    /** Estimated containment (of the smaller text in the larger) at or above which it is a copy, for clean texts. */
    containmentThreshold: z.number().min(0).max(1).default(0.68),
    /** Estimated Jaccard below which no containment is believed (round-ups, hard negatives), for clean texts. */
    jaccardFloor: z.number().min(0).max(1).default(0.1),
    /** Character noise (noise.ts): share of rare letter pairs up to which a text counts as clean. Clean news: ~0.4%
     * median, ~0.8% at the 90th percentile (names, foreign words); 5% character noise: ~2.1%. */
    noiseFloor: z.number().min(0).max(1).default(0.006),
    /** How fast the expected shingle survival falls with rare letter pairs above the floor: exp(-slope × excess).
     * 22 puts a 5%-noise text (~2.1%) at ~0.72, the survival measured for word 2-shingles over 3-letter prefixes. */
    noiseSlope: z.number().min(0).max(1000).default(22),
    /** Texts with this share of rare letter pairs or more are not English-like (another language, random test
     * words; 10% character noise is ~4%): no noise is assumed for them. */
    noiseCeiling: z.number().min(0).max(1).default(0.1),
    /** The survival assumed for a text never drops below this, so a pair's threshold never falls under a quarter of the clean one. */
    minSurvival: z.number().min(0).max(1).default(0.5),
    /** Texts with fewer distinct shingles than this are matched exactly only. */
    minShingles: z.number().int().min(1).default(30),
    /** Seed of the shingle hash: every index that must agree uses the same seed. */
    seed: z.number().int().min(0).max(0xffffffff).default(0x9e3779b1),
    /** Candidates agreeing on fewer than this many of the first 32 signature slots are dropped unread (0: off).
     * 2: a text sharing only common phrases agrees on ~1 of 32 by chance, a copy (even a noisy one) on 5 or more;
     * reading 32 slots instead of 256 for most candidates keeps Redis near its former time per decision. */
    screenMin: z.number().int().min(0).max(32).default(2),
    /** Refs kept per LSH bucket (newest win): boilerplate cannot grow a bucket without bound. 8: short shingles
     * fill buckets with common phrases ("said the"); more refs cost Redis time, not quality, on the dev set. */
    maxBucketRefs: z.number().int().min(1).max(1024).default(8),
    /** At most this many candidates (those sharing the most buckets) are verified per decision. 16: a copy shares
     * more buckets than texts that merely share common phrases; 64 gained 0.001 ARI for 1.5× the Redis time. */
    maxCandidates: z.number().int().min(1).max(4096).default(16),
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

/** Bumped when the stored layout changes without an option changing (2: the noise byte was added; 3: shards named in hex; 4: one bucket key per shard for all slices). */
const INDEX_FORMAT_VERSION = 4;

/**
 * A short tag naming how stored fingerprints and bucket keys are shaped. The Redis index keeps
 * its keys under it, so an index written with other shingles, slots or bands (an upgrade, an
 * edited default) is never compared byte by byte with this one: it is simply not seen, and
 * `copydesk dedupe rebuild` fills the new one from the store.
 */
export function indexFormatTag(o: DedupeOptions): string {
  const shape = [INDEX_FORMAT_VERSION, o.shingleUnit, o.shingleSize, o.wordPrefix, o.permutations, o.bands, o.rows, o.seed].join('/');
  return `f${(fnv1a(shape, 0, shape.length, 0) >>> 0).toString(36)}`;
}
