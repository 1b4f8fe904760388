/**
 * In-process dedupe index for `copydesk process` and tests: the same decision rule, buckets,
 * caps, window and record layout as the Redis index (redis-index.ts), so both decide alike,
 * in typed arrays (packed-records.ts, ref-table.ts): ~0.8 KB an article instead of ~3 KB of
 * JS objects. It holds at most `maxArticles` articles; past that the oldest are forgotten
 * a block at a time (as Redis forgets an article once it leaves the time window), so memory
 * stays bounded whatever the input's size.
 */
import type { DedupeResult } from '../schema/pipeline.js';
import { bestMatch, rankCandidates } from './decision.js';
import { fingerprint, type Fingerprint } from './fingerprint.js';
import type { DedupeCandidate, DedupeIndex, RebuildArticle, RebuildReport } from './index-types.js';
import { checkArticleId, exactKey, idKey } from './keys.js';
import { dedupeOptions, type DedupeOptions, type DedupeOptionsInput } from './options.js';
import { PackedRecords } from './packed-records.js';
import { rebuildEntry } from './rebuild.js';
import { RefTable } from './ref-table.js';
import { IndexWindowSchema, isLive, liveSlices, sliceSpan, type IndexWindow, type IndexWindowInput } from './window.js';

export interface MemoryIndexBounds {
  /** Articles remembered at most; the oldest are forgotten first. */
  maxArticles: number;
}

/** ~25–40 MB (more while its buckets grow): what `copydesk process` keeps unless told otherwise (config.processDedupeArticles). */
export const DEFAULT_MEMORY_INDEX_ARTICLES = 50_000;

/** Bucket tags beside the LSH bands (0 … bands-1; options.ts caps bands at 250). */
const ID_TAG = 254;
const EXACT_TAG = 255;

export class MemoryDedupeIndex implements DedupeIndex {
  readonly options: DedupeOptions;
  readonly window: IndexWindow;
  private seq = 0;
  private readonly records: PackedRecords;
  private readonly slices = new Map<number, RefTable>();

  constructor(options: DedupeOptionsInput = {}, window: IndexWindowInput = {}, bounds: Partial<MemoryIndexBounds> = {}) {
    this.options = dedupeOptions(options);
    this.window = IndexWindowSchema.parse(window);
    this.records = new PackedRecords(this.options.permutations, bounds.maxArticles ?? DEFAULT_MEMORY_INDEX_ARTICLES);
  }

  async decide(c: DedupeCandidate): Promise<DedupeResult> {
    checkArticleId(c.articleId);
    const now = this.window.now();
    const earlier = this.byId(c.articleId, now);
    if (earlier !== undefined) return this.result(earlier, c.contentHash);
    const fp = fingerprint(c.normalizedText, this.options);
    const joined = this.exactMatch(c.contentHash, fp, now) ?? this.nearMatch(fp, now);
    const match = joined && this.records.get(joined.ref);
    const result: DedupeResult = joined && match
      ? { contentHash: c.contentHash, clusterId: match.clusterId, duplicateOf: match.id, similarity: roundSimilarity(joined.similarity), method: joined.method }
      : { contentHash: c.contentHash, clusterId: c.articleId, duplicateOf: null, similarity: 1, method: null };
    this.insert(c.articleId, c.contentHash, fp, now, result);
    return result;
  }

  async rebuild(articles: AsyncIterable<RebuildArticle> | Iterable<RebuildArticle>): Promise<RebuildReport> {
    const report: RebuildReport = { inserted: 0, present: 0, expired: 0 };
    const now = this.window.now();
    for await (const a of articles) {
      const e = rebuildEntry(a);
      const at = e.at ?? now;
      if (!isLive(this.window, at, now)) report.expired++;
      else if (this.byId(e.articleId, now) !== undefined) report.present++;
      else {
        checkArticleId(e.articleId);
        checkArticleId(e.result.clusterId);
        if (e.result.duplicateOf) checkArticleId(e.result.duplicateOf);
        this.insert(e.articleId, e.result.contentHash, fingerprint(e.normalizedText, this.options), at, e.result);
        report.inserted++;
      }
    }
    return report;
  }

  /** Bytes held by records and buckets, for figures and tests. */
  get bytes(): number {
    let bytes = this.records.bytes;
    for (const t of this.slices.values()) bytes += t.bytes;
    return bytes;
  }

  private byId(articleId: string, now: number): number | undefined {
    return this.lookup(ID_TAG, idKey(articleId), now).find((ref) => this.records.id(ref) === articleId);
  }

  private exactMatch(contentHash: string, fp: Fingerprint, now: number): Joined | null {
    for (const ref of this.lookup(EXACT_TAG, exactKey(contentHash), now)) {
      const r = this.records.fingerprint(ref);
      if (r.size === fp.size && Buffer.compare(r.signature, fp.signature) === 0) return { ref, similarity: 1, method: 'exact' };
    }
    return null;
  }

  private nearMatch(fp: Fingerprint, now: number): Joined | null {
    if (fp.size < this.options.minShingles) return null;
    const buckets: number[][] = [];
    for (let band = 0; band < this.options.bands; band++) buckets.push(this.lookup(band, fp.bandKeys[band]!, now));
    const candidates = rankCandidates(buckets, this.options.maxCandidates)
      .filter((ref) => this.isLive(ref, now))
      .map((ref) => this.records.fingerprint(ref));
    const best = bestMatch(fp.signature, fp.size, fp.survival, candidates, this.options);
    return best ? { ref: best.seq, similarity: best.containment, method: 'near' } : null;
  }

  /** A bucket's refs in every live slice, oldest slice first, as the Lua script reads them. */
  private lookup(tag: number, key: number, now: number): number[] {
    const out: number[] = [];
    for (const s of liveSlices(this.window, now)) out.push(...(this.slices.get(s)?.get(tag, key).reverse() ?? []));
    return out.filter((ref) => this.isLive(ref, now));
  }

  private result(ref: number, contentHash: string): DedupeResult {
    const r = this.records.get(ref);
    return { contentHash, clusterId: r.clusterId, duplicateOf: r.duplicateOf || null, similarity: r.similarity / 10_000, method: r.method };
  }

  private insert(articleId: string, hash: string, fp: Fingerprint, at: number, result: DedupeResult): void {
    const ref = ++this.seq;
    this.records.put(ref, {
      id: articleId,
      clusterId: result.clusterId,
      duplicateOf: result.duplicateOf ?? '',
      at,
      size: fp.size,
      similarity: Math.round(result.similarity * 10_000),
      method: result.method,
      survival: fp.survival,
      signature: fp.signature,
    });
    const table = this.slice(Math.floor(at / sliceSpan(this.window)));
    table.add(ID_TAG, idKey(articleId), ref);
    table.add(EXACT_TAG, exactKey(hash), ref);
    if (fp.size < this.options.minShingles) return;
    for (let band = 0; band < this.options.bands; band++) table.add(band, fp.bandKeys[band]!, ref);
  }

  private slice(id: number): RefTable {
    let t = this.slices.get(id);
    if (!t) {
      // memory is reclaimed when a new slice opens, as Redis expires whole slice keys
      const oldestLive = liveSlices(this.window, id * sliceSpan(this.window))[0]!;
      for (const s of this.slices.keys()) if (s < oldestLive) this.slices.delete(s);
      t = new RefTable(this.options.maxBucketRefs, (ref) => this.records.has(ref));
      this.slices.set(id, t);
    }
    return t;
  }

  private isLive(ref: number, now: number): boolean {
    return this.records.has(ref) && isLive(this.window, this.records.at(ref), now);
  }
}

interface Joined {
  ref: number;
  similarity: number;
  method: 'exact' | 'near';
}

/** Similarities travel as 1/10000ths, so both indexes report the same figure. */
export function roundSimilarity(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}
