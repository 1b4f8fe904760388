/**
 * Operator actions behind the CLI (`status`, `failed`, `retry`, `pause`, `resume`, `replay`),
 * so nobody has to touch Redis by hand. Each takes the open queues (and config) and returns
 * plain data; printing is the CLI's job.
 */
import type { Job } from 'bullmq';
import { STAGES, type Stage } from '../../src/config.js';
import { CopydeskError, ERROR_CODES } from '../../src/errors.js';
import type { StageQueues } from '../queues.js';
import { age, formatCounts, ms } from './overview-page.js';
import { JOB_STATES, type PipelineStatus } from './status.js';

export { pipelineStatus, type PipelineStatus, type StageStatus } from './status.js';
export { replayFailedFiles, type ReplayResult } from './replay.js';

/** Failed messages read "E_CODE: message" (the worker prefixes them; BullMQ keeps no code). */
const CODED_MESSAGE = /^(E_[A-Z0-9_]+):\s?([\s\S]*)$/;
const UNKNOWN_CODE = 'E_INTERNAL';

export function parseStage(name: string): Stage {
  if ((STAGES as readonly string[]).includes(name)) return name as Stage;
  throw new CopydeskError(ERROR_CODES.CONFIG, `unknown stage "${name}"; stages: ${STAGES.join(', ')}`);
}

export function parseFailedReason(reason: string | undefined): { code: string; message: string } {
  const match = CODED_MESSAGE.exec(reason ?? '');
  return match ? { code: match[1]!, message: match[2]! } : { code: UNKNOWN_CODE, message: reason ?? '' };
}

export interface FailedJob {
  stage: Stage;
  jobId: string;
  file: string | null;
  code: string;
  message: string;
  attemptsMade: number;
  failedAt: string | null;
}

export async function listFailed(queues: StageQueues, opts: { stage?: Stage; limit?: number } = {}): Promise<FailedJob[]> {
  const stages = opts.stage ? [opts.stage] : STAGES;
  const end = opts.limit ? opts.limit - 1 : -1;
  const perStage = await Promise.all(
    stages.map(async (stage) => (await queues[stage].getFailed(0, end)).filter(Boolean).map((job) => describeFailed(stage, job))),
  );
  return perStage.flat().sort((a, b) => (b.failedAt ?? '').localeCompare(a.failedAt ?? ''));
}

function describeFailed(stage: Stage, job: Job): FailedJob {
  const data = (job.data ?? {}) as { file?: { name?: string }; originalName?: string; items?: { file?: { name?: string } }[] };
  const { code, message } = parseFailedReason(job.failedReason);
  // After intake a job carries a batch: name every file it holds, once each.
  const batchFiles = [...new Set((Array.isArray(data.items) ? data.items : []).map((i) => i?.file?.name).filter(Boolean))];
  return {
    stage,
    jobId: String(job.id),
    file: data.file?.name ?? data.originalName ?? (batchFiles.length ? batchFiles.join(', ') : null),
    code,
    message,
    attemptsMade: job.attemptsMade,
    failedAt: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
  };
}

export type RetryTarget = { jobId: string; stage?: Stage } | { all: true; stage?: Stage };

export interface RetriedJob {
  stage: Stage;
  jobId: string;
}

/**
 * Moves failed jobs back to waiting. A job id names one job (looked up in every stage unless
 * one is given); throws E_CONFIG when no failed job has that id.
 */
export async function retryJobs(queues: StageQueues, target: RetryTarget): Promise<RetriedJob[]> {
  const stages = target.stage ? [target.stage] : STAGES;
  if ('jobId' in target) {
    for (const stage of stages) {
      const job = await queues[stage].getJob(target.jobId);
      if (job && (await job.getState()) === 'failed') {
        await job.retry('failed');
        return [{ stage, jobId: target.jobId }];
      }
    }
    throw new CopydeskError(ERROR_CODES.CONFIG, `no failed job with id ${target.jobId}${target.stage ? ` in ${target.stage}` : ''}`);
  }
  const retried: RetriedJob[] = [];
  for (const stage of stages) {
    // Ids first: retrying removes jobs from the failed set, which would shift pages under us.
    const jobs = (await queues[stage].getFailed(0, -1)).filter(Boolean);
    for (const job of jobs) {
      await job.retry('failed');
      retried.push({ stage, jobId: String(job.id) });
    }
  }
  return retried;
}

export async function pauseStage(queues: StageQueues, stage: Stage): Promise<void> {
  await queues[stage].pause();
}

export async function resumeStage(queues: StageQueues, stage: Stage): Promise<void> {
  await queues[stage].resume();
}

/** `copydesk status` as a text table, one row per stage, then files and articles. */
export function formatStatusTable(status: PipelineStatus): string {
  const header = ['stage', ...JOB_STATES, 'processed', 'per min', 'p50', 'p95', 'oldest', 'dropped'];
  const rows = status.stages.map((s) => [
    s.isPaused ? `${s.stage} (paused)` : s.stage,
    ...JOB_STATES.map((state) => String(s.jobs[state])),
    String(s.processed),
    s.throughputPerMinute.toFixed(1),
    ms(s.p50Ms, '-'),
    ms(s.p95Ms, '-'),
    age(s.oldestWaitingAgeMs, '-'),
    formatCounts(s.dropped) || '-',
  ]);
  const table = [header, ...rows];
  const last = header.length - 1;
  const widths = header.map((_, i) => Math.max(...table.map((r) => r[i]!.length)));
  const lines = table.map((r) =>
    r.map((cell, i) => (i === 0 || i === last ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ').trimEnd(),
  );
  const f = status.files;
  const failures = formatCounts(status.failuresByCode);
  return [
    ...lines,
    '',
    `files     inbox ${f.inbox}  processing ${f.processing}  done ${f.done}  failed ${f.failed}`,
    `articles  stored ${status.articles.stored}  duplicates ${status.articles.duplicates}`,
    `failures  ${failures || 'none'}`,
    '',
  ].join('\n');
}
