/**
 * Pipeline counters and stage timings, kept in Redis so that every worker process adds to
 * the same figures and the dashboard, `copydesk status` and /metrics read one truth.
 *
 * Layout (all under the pipeline's hash-tagged prefix):
 *   cd:stats              hash  "<stage>:<counter>" → count   (processed, failed, dropped_<reason>, …)
 *   cd:timing:<stage>     hash  "le:<bucket>" → count, "sum" → total ms, "count" → n
 *   cd:recent:<stage>     list  the latest processing times (ms), for p50 / p95
 *   cd:throughput:<stage> hash  "<epoch minute>" → jobs finished in that minute
 */
import type { Redis } from 'ioredis';
import type { Config, Stage } from '../src/config.js';
import { ownKey } from './queues.js';

/** Histogram bucket upper bounds, in milliseconds. */
export const TIMING_BUCKETS_MS = [1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000] as const;
const RECENT_SAMPLES = 1000;
const THROUGHPUT_MINUTES = 60;

export interface StageTiming {
  buckets: Record<string, number>;
  sum: number;
  count: number;
  recent: number[];
}

export class PipelineStats {
  constructor(
    private readonly redis: Redis,
    private readonly config: Pick<Config, 'prefix'>,
  ) {}

  private key(...parts: string[]): string {
    return ownKey(this.config, ...parts);
  }

  async count(stage: Stage | 'pipeline', counter: string, by = 1): Promise<void> {
    if (by === 0) return;
    await this.redis.hincrby(this.key('stats'), `${stage}:${counter}`, by);
  }

  async countMany(stage: Stage | 'pipeline', counters: Record<string, number>): Promise<void> {
    const entries = Object.entries(counters).filter(([, n]) => n !== 0);
    if (!entries.length) return;
    const multi = this.redis.multi();
    for (const [counter, n] of entries) multi.hincrby(this.key('stats'), `${stage}:${counter}`, n);
    await multi.exec();
  }

  /** Records one finished job of a stage: its time into the histogram, the minute's throughput. */
  async observe(stage: Stage, ms: number, now = Date.now()): Promise<void> {
    await this.finishJob(stage, ms, {}, now);
  }

  /** A finished job's timing and counters, in one round trip. */
  async finishJob(stage: Stage, ms: number, counters: Record<string, number>, now = Date.now()): Promise<void> {
    const bucket = TIMING_BUCKETS_MS.find((b) => ms <= b);
    const minute = Math.floor(now / 60_000);
    const timing = this.key('timing', stage);
    const recent = this.key('recent', stage);
    const throughput = this.key('throughput', stage);
    const multi = this.redis.multi();
    multi.hincrby(timing, `le:${bucket ?? '+Inf'}`, 1);
    multi.hincrbyfloat(timing, 'sum', ms);
    multi.hincrby(timing, 'count', 1);
    multi.lpush(recent, Math.round(ms * 100) / 100);
    multi.ltrim(recent, 0, RECENT_SAMPLES - 1);
    multi.hincrby(throughput, String(minute), 1);
    multi.hdel(throughput, String(minute - THROUGHPUT_MINUTES));
    for (const [counter, n] of Object.entries(counters)) if (n) multi.hincrby(this.key('stats'), `${stage}:${counter}`, n);
    await multi.exec();
  }

  async counters(): Promise<Record<string, number>> {
    const raw = await this.redis.hgetall(this.key('stats'));
    return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Number(v)]));
  }

  async timing(stage: Stage): Promise<StageTiming> {
    const [raw, recent] = await Promise.all([
      this.redis.hgetall(this.key('timing', stage)),
      this.redis.lrange(this.key('recent', stage), 0, -1),
    ]);
    const buckets: Record<string, number> = {};
    for (const [k, v] of Object.entries(raw)) if (k.startsWith('le:')) buckets[k.slice(3)] = Number(v);
    return { buckets, sum: Number(raw.sum ?? 0), count: Number(raw.count ?? 0), recent: recent.map(Number) };
  }

  /** Jobs finished per minute, averaged over the last `minutes` complete minutes. */
  async throughputPerMinute(stage: Stage, minutes = 5, now = Date.now()): Promise<number> {
    const current = Math.floor(now / 60_000);
    const fields = Array.from({ length: minutes }, (_, i) => String(current - 1 - i));
    const values = await this.redis.hmget(this.key('throughput', stage), ...fields);
    return values.reduce((sum, v) => sum + Number(v ?? 0), 0) / minutes;
  }
}

export function percentile(values: readonly number[], p: number): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx]!;
}
