/**
 * One snapshot of the whole pipeline, read from Redis and the inbox folders: what the
 * overview page, /api/pipeline, /metrics and `copydesk status` all show, so they never
 * disagree.
 */
import type { Queue } from 'bullmq';
import { STAGES, type Config, type Stage } from '../../src/config.js';
import { Inbox } from '../inbox.js';
import type { StageQueues } from '../queues.js';
import { percentile, type PipelineStats } from '../stats.js';

export const JOB_STATES = ['waiting', 'active', 'completed', 'failed', 'delayed', 'paused'] as const;
/** States BullMQ counts itself; "paused" is derived (BullMQ 6 keeps a paused queue's jobs in wait). */
const COUNTED_STATES = ['waiting', 'active', 'completed', 'failed', 'delayed', 'prioritized'] as const;
export type JobState = (typeof JOB_STATES)[number];

const DROPPED_PREFIX = 'dropped_';
const PIPELINE_FAILURE_PREFIX = 'pipeline:failed_';

export interface StageHistogram {
  /** Non-cumulative counts per bucket upper bound in ms ("+Inf" for the overflow bucket). */
  bucketsMs: Record<string, number>;
  sumMs: number;
  count: number;
}

export interface StageStatus {
  stage: Stage;
  jobs: Record<JobState, number>;
  isPaused: boolean;
  /** Workers connected to the queue; null when Redis refuses CLIENT LIST (managed Redis). */
  workers: number | null;
  processed: number;
  failed: number;
  dropped: Record<string, number>;
  throughputPerMinute: number;
  p50Ms: number | null;
  p95Ms: number | null;
  oldestWaitingAgeMs: number | null;
  histogram: StageHistogram;
}

export interface PipelineStatus {
  generatedAt: string;
  stages: StageStatus[];
  files: { inbox: number; processing: number; done: number; failed: number };
  articles: { stored: number; duplicates: number };
  failuresByCode: Record<string, number>;
}

export interface StatusSources {
  config: Pick<Config, 'inbox' | 'doneDir' | 'failedDir' | 'processingDir'>;
  queues: StageQueues;
  stats: PipelineStats;
}

export async function pipelineStatus({ config, queues, stats }: StatusSources, now = Date.now()): Promise<PipelineStatus> {
  const [counters, files, stages] = await Promise.all([
    stats.counters(),
    new Inbox(config).counts(),
    Promise.all(STAGES.map((stage) => readStage(stage, queues[stage], stats, now))),
  ]);
  for (const s of stages) {
    s.processed = counters[`${s.stage}:processed`] ?? 0;
    s.failed = counters[`${s.stage}:failed`] ?? 0;
    s.dropped = droppedByReason(counters, s.stage);
  }
  return {
    generatedAt: new Date(now).toISOString(),
    stages,
    files,
    articles: { stored: counters['store:stored'] ?? 0, duplicates: counters['store:duplicates'] ?? 0 },
    failuresByCode: failuresByCode(counters),
  };
}

async function readStage(stage: Stage, queue: Queue, stats: PipelineStats, now: number): Promise<StageStatus> {
  const [counts, isPaused, workers, throughputPerMinute, timing, oldest] = await Promise.all([
    queue.getJobCounts(...COUNTED_STATES),
    queue.isPaused(),
    queue.getWorkersCount().catch(() => null),
    stats.throughputPerMinute(stage, 5, now),
    stats.timing(stage),
    // asc=true reads the wait list from its tail: the job that has waited longest.
    queue.getJobs(['waiting'], 0, 0, true),
  ]);
  // Jobs held back by a paused queue are shown as paused, not waiting, as older BullMQ did.
  const queued = (counts.waiting ?? 0) + (counts.prioritized ?? 0);
  const jobs: Record<JobState, number> = {
    waiting: isPaused ? 0 : queued,
    active: counts.active ?? 0,
    completed: counts.completed ?? 0,
    failed: counts.failed ?? 0,
    delayed: counts.delayed ?? 0,
    paused: isPaused ? queued : 0,
  };
  const oldestJob = oldest[0];
  return {
    stage,
    jobs,
    isPaused,
    workers,
    processed: 0,
    failed: 0,
    dropped: {},
    throughputPerMinute,
    p50Ms: percentile(timing.recent, 50),
    p95Ms: percentile(timing.recent, 95),
    oldestWaitingAgeMs: oldestJob ? Math.max(0, now - oldestJob.timestamp) : null,
    histogram: { bucketsMs: timing.buckets, sumMs: timing.sum, count: timing.count },
  };
}

/** `<stage>:dropped_<reason>` counters of one stage, keyed by reason. */
export function droppedByReason(counters: Record<string, number>, stage: Stage): Record<string, number> {
  const prefix = `${stage}:${DROPPED_PREFIX}`;
  const out: Record<string, number> = {};
  for (const [key, n] of Object.entries(counters)) if (key.startsWith(prefix)) out[key.slice(prefix.length)] = n;
  return out;
}

/** `pipeline:failed_<code>` counters, keyed by error code. */
export function failuresByCode(counters: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, n] of Object.entries(counters)) {
    if (key.startsWith(PIPELINE_FAILURE_PREFIX)) out[key.slice(PIPELINE_FAILURE_PREFIX.length)] = n;
  }
  return out;
}
