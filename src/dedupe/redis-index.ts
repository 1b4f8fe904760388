/**
 * The shared dedupe index in Redis: every worker decides against it, atomically (one Lua
 * script per decision, see redis-script.ts). Fingerprints are computed here, in the worker;
 * Redis only compares packed signatures (with each text's noise estimate) and keeps packed refs.
 */
import type { Redis } from 'ioredis';
import { transient, ERROR_CODES } from '../errors.js';
import type { DedupeResult } from '../schema/pipeline.js';
import { checkArticleId, exactKey, idKey } from './keys.js';
import { METHOD_CODES } from './packed-records.js';
import { fingerprint, type Fingerprint } from './fingerprint.js';
import type { DedupeCandidate, DedupeIndex, RebuildArticle, RebuildReport } from './index-types.js';
import { dedupeOptions, indexFormatTag, type DedupeOptions, type DedupeOptionsInput } from './options.js';
import { rebuildEntry } from './rebuild.js';
import { DEDUPE_LUA } from './redis-script.js';
import { IndexWindowSchema, isLive, sliceSpan, type IndexWindow, type IndexWindowInput } from './window.js';

export interface RedisIndexLayout {
  /**
   * Bucket keys are 2^shardBits at most, each holding its shard's buckets of every live slice.
   * Sized so that with ~1M articles per slice (three slices live: ~81 fields a key) each small
   * hash keeps under Redis's listpack limit (128 entries) and stays compact; past ~1.5M
   * articles per slice the keys become hash tables, which cost several times the memory.
   */
  shardBits: number;
}


type DedupeScript = (
  key: string,
  ...args: (string | number | Buffer)[]
) => Promise<string[]>;

export class RedisDedupeIndex implements DedupeIndex {
  readonly options: DedupeOptions;
  readonly window: IndexWindow;
  private readonly layout: RedisIndexLayout;
  private readonly script: DedupeScript;
  /** `<prefix>:<format tag>`: every key of this index lives under it (see indexFormatTag). */
  private readonly keyspace: string;

  constructor(
    private readonly redis: Redis,
    prefix: string,
    options: DedupeOptionsInput = {},
    window: IndexWindowInput = {},
    layout: Partial<RedisIndexLayout> = {},
  ) {
    this.options = dedupeOptions(options);
    this.window = IndexWindowSchema.parse(window);
    this.layout = { shardBits: layout.shardBits ?? 20 };
    this.keyspace = `${prefix}:${indexFormatTag(this.options)}`;
    if (!redis.copydeskDedupeDecide) redis.defineCommand('copydeskDedupeDecide', { numberOfKeys: 1, lua: DEDUPE_LUA });
    this.script = (redis.copydeskDedupeDecide as DedupeScript).bind(redis);
  }

  async decide(c: DedupeCandidate): Promise<DedupeResult> {
    checkArticleId(c.articleId);
    const fp = fingerprint(c.normalizedText, this.options);
    const reply = await this.run(this.args(c.articleId, c.contentHash, fp, this.window.now(), 'd'));
    return {
      contentHash: c.contentHash,
      clusterId: reply[0]!,
      duplicateOf: reply[1] || null,
      similarity: Number(reply[2]) / 10_000,
      method: (reply[3] || null) as DedupeResult['method'],
    };
  }

  async rebuild(articles: AsyncIterable<RebuildArticle> | Iterable<RebuildArticle>): Promise<RebuildReport> {
    const report: RebuildReport = { inserted: 0, present: 0, expired: 0 };
    const now = this.window.now();
    for await (const a of articles) {
      const e = rebuildEntry(a);
      const at = e.at ?? now;
      if (!isLive(this.window, at, now)) {
        report.expired++;
        continue;
      }
      checkArticleId(e.articleId);
      checkArticleId(e.result.clusterId);
      if (e.result.duplicateOf) checkArticleId(e.result.duplicateOf);
      const fp = fingerprint(e.normalizedText, this.options);
      const method = e.result.method ? METHOD_CODES[e.result.method] : 0;
      const reply = await this.run([
        ...this.args(e.articleId, e.result.contentHash, fp, now, 'r'),
        e.result.clusterId,
        e.result.duplicateOf ?? '',
        Math.round(e.result.similarity * 10_000),
        method,
        at,
      ]);
      if (reply[0] === 'inserted') report.inserted++;
      else report.present++;
    }
    return report;
  }

  private args(articleId: string, hash: string, fp: Fingerprint, now: number, mode: 'd' | 'r'): (string | number | Buffer)[] {
    const o = this.options;
    const near = fp.size >= o.minShingles;
    const id = idKey(articleId);
    const exact = exactKey(hash);
    const bands = near ? fp.bandKeys : EMPTY_KEYS;
    return [
      `${this.keyspace}:seq`,
      this.keyspace,
      now,
      this.window.windowMs,
      sliceSpan(this.window),
      this.shards(id, exact, bands),
      articleId,
      fp.size,
      Buffer.from(fp.signature.buffer, fp.signature.byteOffset, fp.signature.byteLength),
      u32(id),
      u32(exact),
      bigEndian(bands),
      o.maxBucketRefs,
      o.maxCandidates,
      o.containmentThreshold,
      o.jaccardFloor,
      fp.survival,
      o.screenMin,
      mode,
    ];
  }

  /** Each bucket's shard, its hash's top `shardBits` bits in fixed-width hex, as the script names its key. */
  private shards(id: number, exact: number, bands: Uint32Array): string {
    const bits = this.layout.shardBits;
    const width = Math.ceil(bits / 4);
    let out = '';
    const add = (h: number) => (out += (h >>> (32 - bits)).toString(16).padStart(width, '0'));
    add(id);
    add(exact);
    for (const h of bands) add(h);
    return out;
  }

  private async run(args: (string | number | Buffer)[]): Promise<string[]> {
    try {
      return await this.script(...(args as [string, ...(string | number | Buffer)[]]));
    } catch (err) {
      throw transient(ERROR_CODES.STORE_UNAVAILABLE, `dedupe index: ${(err as Error).message}`, err);
    }
  }
}

const EMPTY_KEYS = new Uint32Array(0);

function u32(x: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(x >>> 0);
  return b;
}

function bigEndian(xs: Uint32Array): Buffer {
  const b = Buffer.alloc(xs.length * 4);
  xs.forEach((x, i) => b.writeUInt32BE(x, i * 4));
  return b;
}

declare module 'ioredis' {
  interface RedisCommander<Context> {
    copydeskDedupeDecide?: (...args: unknown[]) => Promise<unknown>;
  }
}
