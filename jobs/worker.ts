/**
 * Runs the BullMQ workers of the chosen stages. Each job: parse the payload with its schema,
 * call the processor, record timing and counters, and map errors — bad input becomes an
 * UnrecoverableError (never retried), anything else is retried with backoff. On the last
 * attempt the failure is settled: the file goes to failed/ (intake) or the article is
 * counted as failed in the file's report.
 */
import os from 'node:os';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { errorCode, isPermanent, ERROR_CODES } from '../src/errors.js';
import type { Stage } from '../src/config.js';
import type { JobContext } from './context.js';
import { PAYLOADS, type FileTicket } from './payloads.js';
import { PROCESSORS } from './processors/index.js';
import { backoffDelay, bullPrefix } from './queues.js';
import { settleFailures, type ItemRef } from './batch.js';
import { JobStatsBuffer } from './stats.js';

export interface RunningWorkers {
  workers: Worker[];
  /** Stops taking jobs, lets active ones finish within the bound, then closes. */
  close(timeoutMs: number): Promise<void>;
}

/** How long a forced close may take after the shutdown bound before connections are dropped. */
const FORCED_CLOSE_MS = 1000;

/** True when `work` settled within `ms`; the work is not cancelled, only no longer waited for. */
async function withinMs(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  const result = await Promise.race([work.then(() => true, () => true), timeout]);
  clearTimeout(timer);
  return result;
}

export function startWorkers(ctx: JobContext, stages: readonly Stage[], connection: Redis): RunningWorkers {
  const figures = new JobStatsBuffer(ctx.stats, ctx.config.statsFlushMs, (err) => ctx.logger.warn({ err }, 'could not write job figures to Redis; they are dropped'));
  const workers = stages.map(
    (stage) =>
      new Worker(stage, (job: Job) => runJob(stage, job, ctx, figures), {
        connection,
        prefix: bullPrefix(ctx.config),
        concurrency: ctx.config.concurrency[stage],
        lockDuration: ctx.config.lockDurationMs,
        stalledInterval: ctx.config.stalledIntervalMs,
        maxStalledCount: 2,
        settings: { backoffStrategy: (attemptsMade: number) => backoffDelay(ctx.config, attemptsMade) },
        autorun: true,
        // Recorded on every job it processes (job.processedBy): which process did the work.
        name: `${os.hostname()}:${process.pid}`,
      }),
  );
  for (const w of workers) {
    w.on('error', (err) => ctx.logger.error({ err, queue: w.name }, 'worker error'));
  }
  return {
    workers,
    async close(timeoutMs) {
      let timer: NodeJS.Timeout | undefined;
      const graceful = Promise.all(workers.map((w) => w.close()));
      const timedOut = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), timeoutMs);
      });
      const result = await Promise.race([graceful, timedOut]);
      clearTimeout(timer);
      if (result === 'timeout') {
        ctx.logger.warn({ timeoutMs }, 'active jobs did not finish in time; returning them to their queues');
        // A forced close still talks to Redis; with Redis away it never returns, so it is bounded
        // too and the connections are dropped. Jobs left active are taken back once their locks lapse.
        const forced = await withinMs(Promise.all(workers.map((w) => w.close(true))), FORCED_CLOSE_MS);
        if (!forced) {
          ctx.logger.warn({ ms: FORCED_CLOSE_MS }, 'workers could not reach Redis to close; disconnecting');
          await withinMs(Promise.all(workers.map((w) => w.disconnect().catch(() => undefined))), FORCED_CLOSE_MS);
        }
      }
      // The last figures; bounded, since Redis may be the reason we stop.
      await withinMs(figures.close(), FORCED_CLOSE_MS);
    },
  };
}

/** The items a job's data names (read before parsing, for logs and for settling failures). */
function itemsOf(stage: Stage, data: unknown): ItemRef[] {
  const d = data as { file?: FileTicket; items?: { file?: FileTicket; record?: { index: number }; doc?: { recordIndex: number }; draft?: { key: string; id?: string }; article?: { id?: string; provenance: { articleKey: string } } }[] };
  if (stage === 'intake') return d.file ? [{ file: d.file, key: 'file' }] : [];
  const refs: ItemRef[] = [];
  for (const i of Array.isArray(d.items) ? d.items : []) {
    if (!i?.file) continue;
    const key = i.draft?.key ?? i.article?.provenance.articleKey ?? `r${i.record?.index ?? i.doc?.recordIndex ?? ''}`;
    refs.push({ file: i.file, key, articleId: i.draft?.id ?? i.article?.id });
  }
  return refs;
}

async function runJob(stage: Stage, job: Job, ctx: JobContext, figures: JobStatsBuffer): Promise<void> {
  const started = performance.now();
  const items = itemsOf(stage, job.data);
  const files = new Set(items.map((i) => i.file.name));
  // A batch's line names its first file and its size; a single item's names its article too.
  const log = ctx.logger.child({
    queue: stage,
    jobId: job.id,
    file: items[0]?.file.name,
    ...(items.length > 1 ? { items: items.length, files: files.size } : { articleId: items[0]?.articleId }),
  });
  const parsed = PAYLOADS[stage].safeParse(job.data);
  if (!parsed.success) {
    const message = `${stage} payload does not match its schema: ${parsed.error.message.slice(0, 500)}`;
    log.error({ issues: parsed.error.issues.slice(0, 5) }, 'bad payload');
    await ctx.stats.count(stage, 'failed', items.length || 1);
    // The files it names would otherwise wait in .processing for ever.
    await settleFailure(stage, items, ERROR_CODES.BAD_PAYLOAD, message, job.attemptsMade + 1, ctx);
    throw new UnrecoverableError(`${ERROR_CODES.BAD_PAYLOAD}: ${message}`);
  }
  try {
    const counters = await PROCESSORS[stage](parsed.data, { ...ctx, logger: log, jobId: String(job.id) });
    figures.record(stage, performance.now() - started, { processed: items.length, ...counters });
    log.debug({ ms: Math.round(performance.now() - started) }, 'done');
  } catch (err) {
    const code = errorCode(err);
    const permanent = isPermanent(err);
    const attempts = job.opts.attempts ?? 1;
    const final = permanent || job.attemptsMade + 1 >= attempts;
    const message = err instanceof Error ? err.message : String(err);
    log[final ? 'error' : 'warn']({ err, code, attempt: job.attemptsMade + 1, attempts, final }, `${stage} failed`);
    if (final) {
      await ctx.stats.count(stage, 'failed', items.length || 1);
      await settleFailure(stage, items, code, message, job.attemptsMade + 1, ctx);
    }
    if (permanent) throw new UnrecoverableError(`${code}: ${message}`);
    throw err instanceof Error ? Object.assign(err, { message: `${code}: ${message}` }) : new Error(`${code}: ${message}`);
  }
}

/**
 * A job failed for good: intake moves its file to failed/; a batch fails each of its items.
 * Either way the failure is counted by code in the pipeline's figures.
 */
async function settleFailure(stage: Stage, items: readonly ItemRef[], code: string, message: string, attempts: number, ctx: JobContext) {
  const file = items[0]?.file;
  if (stage === 'intake' || !file) {
    await ctx.stats.countMany('pipeline', { [`failed_${code}`]: 1 });
    if (!file) return;
    const dest = await ctx.inbox.moveToFailed(file.claimedPath, file.name, {
      file: file.name,
      sha256: file.sha256,
      code,
      message,
      stage,
      attempts,
      time: new Date().toISOString(),
    });
    await ctx.tracker.markFinalized(file.sha256, 'failed', dest);
    await ctx.stats.count('pipeline', 'files_failed');
    return;
  }
  await settleFailures(stage, items.map((i) => ({ ...i, code, message })), ctx);
}
