/**
 * A per-stage summary line at a fixed interval, for people who read logs rather than
 * dashboards: totals since the counters were created, plus the rate over the interval.
 */
import { STAGES, type Stage } from '../../src/config.js';
import type { Logger } from '../../src/logger.js';
import type { StageQueues } from '../queues.js';
import type { PipelineStats } from '../stats.js';
import { formatCounts } from './overview-page.js';
import { droppedByReason } from './status.js';

export interface SummaryLoggerDeps {
  stats: PipelineStats;
  queues: StageQueues;
  logger: Logger;
  intervalMs: number;
}

export interface StageSummary {
  stage: Stage;
  processed: number;
  failed: number;
  dropped: Record<string, number>;
  waiting: number;
  active: number;
  /** Jobs processed per minute since the previous summary (null on the first). */
  ratePerMinute: number | null;
}

/** Logs one line per stage every `intervalMs`; returns a function that stops it. */
export function startSummaryLogger({ stats, queues, logger, intervalMs }: SummaryLoggerDeps): () => Promise<void> {
  const log = logger.child({ component: 'summary' });
  let previous: { at: number; processed: Partial<Record<Stage, number>> } | undefined;
  let running: Promise<void> | undefined;

  const tick = async () => {
    const at = Date.now();
    const counters = await stats.counters();
    const counts = await Promise.all(STAGES.map((s) => queues[s].getJobCounts('waiting', 'active')));
    const processed: Partial<Record<Stage, number>> = {};
    STAGES.forEach((stage, i) => {
      const summary: StageSummary = {
        stage,
        processed: counters[`${stage}:processed`] ?? 0,
        failed: counters[`${stage}:failed`] ?? 0,
        dropped: droppedByReason(counters, stage),
        waiting: counts[i]!.waiting ?? 0,
        active: counts[i]!.active ?? 0,
        ratePerMinute: previous ? ((counters[`${stage}:processed`] ?? 0) - (previous.processed[stage] ?? 0)) / ((at - previous.at) / 60_000) : null,
      };
      processed[stage] = summary.processed;
      log.info({ summary }, summaryLine(summary));
    });
    previous = { at, processed };
  };

  const timer = setInterval(() => {
    if (running) return; // a slow Redis must not pile up overlapping summaries
    running = tick()
      .catch((err: unknown) => log.warn({ err }, 'cannot read pipeline counters for the summary'))
      .finally(() => {
        running = undefined;
      });
  }, intervalMs);
  timer.unref();

  return async () => {
    clearInterval(timer);
    await running;
  };
}

export function summaryLine(s: StageSummary): string {
  const dropped = formatCounts(s.dropped);
  const rate = s.ratePerMinute === null ? '' : `, ${s.ratePerMinute.toFixed(1)}/min`;
  return `${s.stage}: processed ${s.processed}${rate}, dropped ${dropped || '0'}, failed ${s.failed}, waiting ${s.waiting}, active ${s.active}`;
}
