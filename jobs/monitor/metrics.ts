/**
 * Prometheus metrics. Every figure lives in Redis (shared by all worker processes), so a
 * scrape reads one PipelineStatus snapshot and sets the metrics from it; the registry is
 * per server, never prom-client's global one, so several servers can live in one process.
 */
import { Counter, Gauge, Registry, type Metric } from 'prom-client';
import { TIMING_BUCKETS_MS } from '../stats.js';
import { JOB_STATES, type PipelineStatus, type StageStatus } from './status.js';

export const METRIC_NAMES = {
  queueJobs: 'copydesk_queue_jobs',
  stageDuration: 'copydesk_stage_duration_seconds',
  stored: 'copydesk_articles_stored_total',
  duplicates: 'copydesk_articles_duplicate_total',
  dropped: 'copydesk_dropped_total',
  failures: 'copydesk_failures_total',
  inboxFiles: 'copydesk_inbox_files',
  processed: 'copydesk_processed_total',
  oldestWaiting: 'copydesk_oldest_waiting_seconds',
} as const;

export interface PipelineMetrics {
  registry: Registry;
  /** Sets every metric from the snapshot and renders the exposition text. */
  render(status: PipelineStatus): Promise<string>;
  contentType: string;
}

export function createPipelineMetrics(): PipelineMetrics {
  const registry = new Registry();
  const queueJobs = new Gauge({ name: METRIC_NAMES.queueJobs, help: 'Jobs per stage queue and state', labelNames: ['queue', 'state'], registers: [registry] });
  const stored = new Counter({ name: METRIC_NAMES.stored, help: 'Articles written to the output store (canonical and duplicates)', registers: [registry] });
  const duplicates = new Counter({ name: METRIC_NAMES.duplicates, help: 'Stored articles found to duplicate an earlier one', registers: [registry] });
  const dropped = new Counter({ name: METRIC_NAMES.dropped, help: 'Records or articles a stage rejected, by reason', labelNames: ['stage', 'reason'], registers: [registry] });
  const failures = new Counter({ name: METRIC_NAMES.failures, help: 'Jobs that failed for good (retries exhausted or bad input), by error code', labelNames: ['code'], registers: [registry] });
  const inboxFiles = new Gauge({ name: METRIC_NAMES.inboxFiles, help: 'Files in the inbox folders', labelNames: ['folder'], registers: [registry] });
  const processed = new Counter({ name: METRIC_NAMES.processed, help: 'Jobs a stage finished, per stage', labelNames: ['stage'], registers: [registry] });
  const oldestWaiting = new Gauge({ name: METRIC_NAMES.oldestWaiting, help: 'Age of the job that has waited longest, per stage queue (0 when none waits)', labelNames: ['queue'], registers: [registry] });
  const duration = new RedisHistogram(METRIC_NAMES.stageDuration, 'Processing time of one job, per stage');
  registry.registerMetric(duration as unknown as Metric);

  const setAll = (status: PipelineStatus) => {
    // Counters are totals kept in Redis: reset, then set to the stored total.
    for (const m of [queueJobs, stored, duplicates, dropped, failures, inboxFiles, processed, oldestWaiting]) m.reset();
    for (const s of status.stages) {
      processed.inc({ stage: s.stage }, s.processed);
      oldestWaiting.set({ queue: s.stage }, (s.oldestWaitingAgeMs ?? 0) / 1000);
      for (const state of JOB_STATES) queueJobs.set({ queue: s.stage, state }, s.jobs[state]);
      for (const [reason, n] of Object.entries(s.dropped)) dropped.inc({ stage: s.stage, reason }, n);
    }
    stored.inc(status.articles.stored);
    duplicates.inc(status.articles.duplicates);
    for (const [code, n] of Object.entries(status.failuresByCode)) failures.inc({ code }, n);
    for (const [folder, n] of Object.entries(status.files)) inboxFiles.set({ folder }, n);
    duration.stages = status.stages;
  };

  // One render at a time: the metrics are shared state, and two scrapes must not mix snapshots.
  let previous: Promise<unknown> = Promise.resolve();
  return {
    registry,
    contentType: registry.contentType,
    render(status) {
      const rendered = previous.then(() => {
        setAll(status);
        return registry.metrics();
      });
      previous = rendered.catch(() => undefined);
      return rendered;
    },
  };
}

interface MetricValue {
  value: number;
  labels: Record<string, string | number>;
  metricName?: string;
}

/**
 * A histogram whose buckets are already counted in Redis (PipelineStats keeps per-bucket
 * counts in ms); prom-client's Histogram can only observe values one by one, so this
 * presents the stored buckets in the shape the registry renders, cumulative and in seconds.
 */
class RedisHistogram {
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  stages: StageStatus[] = [];

  constructor(
    readonly name: string,
    readonly help: string,
  ) {}

  async get() {
    const values: MetricValue[] = [];
    for (const s of this.stages) {
      const h = s.histogram;
      let cumulative = 0;
      for (const le of TIMING_BUCKETS_MS) {
        cumulative += h.bucketsMs[String(le)] ?? 0;
        values.push({ metricName: `${this.name}_bucket`, labels: { stage: s.stage, le: le / 1000 }, value: cumulative });
      }
      values.push({ metricName: `${this.name}_bucket`, labels: { stage: s.stage, le: '+Inf' }, value: h.count });
      values.push({ metricName: `${this.name}_sum`, labels: { stage: s.stage }, value: h.sumMs / 1000 });
      values.push({ metricName: `${this.name}_count`, labels: { stage: s.stage }, value: h.count });
    }
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }
}
