/**
 * In-process dedupe index for `copydesk process` and tests: the same decision rule, buckets,
 * caps and window as the Redis index (redis-index.ts), kept in maps, so both decide alike.
 */
import type { DedupeResult } from '../schema/pipeline.js';
import { bestMatch, rankCandidates, type StoredFingerprint } from './decision.js';
import { fingerprint, type Fingerprint } from './fingerprint.js';
import type { DedupeCandidate, DedupeIndex, RebuildArticle, RebuildReport } from './index-types.js';
import { dedupeOptions, type DedupeOptions, type DedupeOptionsInput } from './options.js';
import { rebuildEntry } from './rebuild.js';
import { IndexWindowSchema, isLive, liveSlices, sliceSpan, type IndexWindow, type IndexWindowInput } from './window.js';

interface Entry extends StoredFingerprint {
  at: number;
  result: DedupeResult;
  articleId: string;
}

interface Slice {
  byHash: Map<string, number[]>;
  buckets: Map<string, number[]>;
}

export class MemoryDedupeIndex implements DedupeIndex {
  readonly options: DedupeOptions;
  readonly window: IndexWindow;
  private seq = 0;
  private readonly entries = new Map<number, Entry>();
  private readonly byId = new Map<string, number>();
  private readonly slices = new Map<number, Slice>();

  constructor(options: DedupeOptionsInput = {}, window: IndexWindowInput = {}) {
    this.options = dedupeOptions(options);
    this.window = IndexWindowSchema.parse(window);
  }

  async decide(c: DedupeCandidate): Promise<DedupeResult> {
    const now = this.window.now();
    const earlier = this.live(this.byId.get(c.articleId), now);
    if (earlier) return earlier.result;
    const fp = fingerprint(c.normalizedText, this.options);
    const result = this.match(c, fp, now) ?? {
      contentHash: c.contentHash,
      clusterId: c.articleId,
      duplicateOf: null,
      similarity: 1,
      method: null,
    };
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
      else if (this.live(this.byId.get(e.articleId), now)) report.present++;
      else {
        this.insert(e.articleId, e.result.contentHash, fingerprint(e.normalizedText, this.options), at, e.result);
        report.inserted++;
      }
    }
    return report;
  }

  private match(c: DedupeCandidate, fp: Fingerprint, now: number): DedupeResult | null {
    const slices = liveSlices(this.window, now).map((s) => this.slices.get(s));
    for (const slice of slices) {
      for (const seq of slice?.byHash.get(c.contentHash) ?? []) {
        const exact = this.live(seq, now);
        if (exact) return this.joining(c, exact, 1, 'exact');
      }
    }
    if (fp.size < this.options.minShingles) return null;
    const buckets: number[][] = [];
    for (const slice of slices) {
      if (!slice) continue;
      for (let band = 0; band < this.options.bands; band++) {
        const refs = slice.buckets.get(bucketName(band, fp.bandKeys[band]!));
        if (refs) buckets.push(refs);
      }
    }
    const candidates = rankCandidates(buckets, this.options.maxCandidates)
      .map((seq) => this.live(seq, now))
      .filter((e): e is Entry => e !== undefined);
    const best = bestMatch(fp.signature, fp.size, fp.survival, candidates, this.options);
    return best ? this.joining(c, this.entries.get(best.seq)!, best.containment, 'near') : null;
  }

  private joining(c: DedupeCandidate, match: Entry, similarity: number, method: 'exact' | 'near'): DedupeResult {
    return {
      contentHash: c.contentHash,
      clusterId: match.result.clusterId,
      duplicateOf: match.articleId,
      similarity: roundSimilarity(similarity),
      method,
    };
  }

  private insert(articleId: string, hash: string, fp: Fingerprint, at: number, result: DedupeResult): void {
    const seq = ++this.seq;
    this.entries.set(seq, { seq, size: fp.size, signature: fp.signature, survival: fp.survival, at, result, articleId });
    this.byId.set(articleId, seq);
    const slice = this.slice(Math.floor(at / sliceSpan(this.window)));
    this.addRef(slice.byHash, hash, seq);
    if (fp.size < this.options.minShingles) return;
    for (let band = 0; band < this.options.bands; band++) this.addRef(slice.buckets, bucketName(band, fp.bandKeys[band]!), seq);
  }

  /** Buckets keep their newest refs only, as in Redis. */
  private addRef(map: Map<string, number[]>, name: string, seq: number): void {
    const refs = map.get(name) ?? [];
    refs.push(seq);
    if (refs.length > this.options.maxBucketRefs) refs.shift();
    map.set(name, refs);
  }

  private slice(id: number): Slice {
    let s = this.slices.get(id);
    if (!s) {
      this.dropDeadSlices(id);
      s = { byHash: new Map(), buckets: new Map() };
      this.slices.set(id, s);
    }
    return s;
  }

  /** Memory is reclaimed when a new slice opens, as Redis expires whole slice keys. */
  private dropDeadSlices(newest: number): void {
    const oldestLive = liveSlices(this.window, newest * sliceSpan(this.window))[0]!;
    for (const id of this.slices.keys()) if (id < oldestLive) this.slices.delete(id);
    const now = this.window.now();
    for (const [seq, e] of this.entries) {
      if (isLive(this.window, e.at, now)) continue;
      this.entries.delete(seq);
      if (this.byId.get(e.articleId) === seq) this.byId.delete(e.articleId);
    }
  }

  private live(seq: number | undefined, now: number): Entry | undefined {
    const e = seq === undefined ? undefined : this.entries.get(seq);
    return e && isLive(this.window, e.at, now) ? e : undefined;
  }
}

function bucketName(band: number, key: number): string {
  return `${band}:${key}`;
}

/** Similarities travel as 1/10000ths, so both indexes report the same figure. */
export function roundSimilarity(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}
