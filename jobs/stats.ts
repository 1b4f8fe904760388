/**
 * Pipeline counters and stage timings, kept in Redis so that every worker process adds to
 * the same figures and the dashboard, `copydesk status` and /metrics read one truth.
 *
 * Layout (all under the pipeline's hash-tagged prefix):
 *   cd:stats              hash  "<stage>:<counter>" → count   (processed, failed, dropped_<reason>, …)
 *   cd:timing:<stage>     hash  "le:<bucket>" → count, "sum" → total ms, "count" → n (per job: a batch after intake)
 *   cd:recent:<stage>     list  the latest processing times (ms), for p50 / p95
 *   cd:throughput:<stage> hash  "<epoch minute>" → items (records, articles) finished in that minute
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
    await this.finishJobs(stage, { timesMs: [ms], counters, perMinute: new Map([[Math.floor(now / 60_000), 1]]) });
  }

  /** Several finished jobs of a stage (see JobStatsBuffer), in one round trip. */
  async finishJobs(stage: Stage, batch: FinishedJobs): Promise<void> {
    if (!batch.timesMs.length && !Object.keys(batch.counters).length) return;
    const timing = this.key('timing', stage);
    const recent = this.key('recent', stage);
    const throughput = this.key('throughput', stage);
    const multi = this.redis.multi();
    const buckets = new Map<string, number>();
    let sum = 0;
    for (const ms of batch.timesMs) {
      const bucket = `le:${TIMING_BUCKETS_MS.find((b) => ms <= b) ?? '+Inf'}`;
      buckets.set(bucket, (buckets.get(bucket) ?? 0) + 1);
      sum += ms;
    }
    for (const [bucket, n] of buckets) multi.hincrby(timing, bucket, n);
    if (batch.timesMs.length) {
      multi.hincrbyfloat(timing, 'sum', sum);
      multi.hincrby(timing, 'count', batch.timesMs.length);
      multi.lpush(recent, ...batch.timesMs.slice(-RECENT_SAMPLES).map((ms) => Math.round(ms * 100) / 100));
      multi.ltrim(recent, 0, RECENT_SAMPLES - 1);
    }
    for (const [minute, n] of batch.perMinute) {
      multi.hincrby(throughput, String(minute), n);
      multi.hdel(throughput, String(minute - THROUGHPUT_MINUTES));
    }
    for (const [counter, n] of Object.entries(batch.counters)) if (n) multi.hincrby(this.key('stats'), `${stage}:${counter}`, n);
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

export interface FinishedJobs {
  timesMs: number[];
  counters: Record<string, number>;
  /** Jobs finished per epoch minute. */
  perMinute: Map<number, number>;
}

/**
 * Finished-job figures gathered in memory and written once per interval. Writing them per job
 * cost a MULTI of seven commands for every job, as much Redis work as BullMQ's own (measured
 * in the pipeline bench); once a second it is noise. A crash loses at most one interval of
 * figures, never work: the figures are for people, the file tracker is what counts.
 */
export class JobStatsBuffer {
  private pending = new Map<Stage, FinishedJobs>();
  private readonly timer: NodeJS.Timeout;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly stats: PipelineStats,
    intervalMs: number,
    private readonly onError: (err: unknown) => void,
  ) {
    this.timer = setInterval(() => void this.flush(), intervalMs);
    this.timer.unref();
  }

  record(stage: Stage, ms: number, counters: Record<string, number>, now = Date.now()): void {
    let batch = this.pending.get(stage);
    if (!batch) this.pending.set(stage, (batch = { timesMs: [], counters: {}, perMinute: new Map() }));
    batch.timesMs.push(ms);
    for (const [k, n] of Object.entries(counters)) if (n) batch.counters[k] = (batch.counters[k] ?? 0) + n;
    const minute = Math.floor(now / 60_000);
    // Throughput counts items (records, articles), not batch jobs.
    batch.perMinute.set(minute, (batch.perMinute.get(minute) ?? 0) + (counters.processed ?? 1));
  }

  /** Writes what was gathered; flushes run one after another, so none overtakes another. */
  flush(): Promise<void> {
    const taken = this.pending;
    this.pending = new Map();
    this.flushing = this.flushing.then(async () => {
      for (const [stage, batch] of taken) {
        try {
          await this.stats.finishJobs(stage, batch);
        } catch (err) {
          this.onError(err);
        }
      }
    });
    return this.flushing;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}

export function percentile(values: readonly number[], p: number): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx]!;
}
