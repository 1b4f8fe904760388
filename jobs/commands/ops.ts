/**
 * Operator commands: the dashboard on its own, failed jobs, retries, pausing a stage,
 * replaying failed files, training a topic model, rebuilding the dedupe index.
 */
import { readFile, writeFile } from 'node:fs/promises';
import type { Config, Stage } from '../../src/config.js';
import type { Logger } from '../../src/logger.js';
import { trainFromJsonl, serializeModel } from '../../src/classify/index.js';
import { RedisDedupeIndex } from '../../src/dedupe/redis-index.js';
import type { RebuildArticle } from '../../src/dedupe/index-types.js';
import { connectRedis, resolveRedis } from '../redis.js';
import { closeQueues, openQueues, ownKey, type StageQueues } from '../queues.js';
import { PipelineStats } from '../stats.js';
import { createMonitorServer } from '../monitor/index.js';
import { listFailed, parseStage, pauseStage, resumeStage, retryJobs, replayFailedFiles } from '../monitor/ops.js';
import { createStore, dedupeWindow } from '../runtime.js';
import type { Redis } from 'ioredis';

/** Opens the queues on the configured Redis (never starts a private one) for a short command. */
export async function withQueues<T>(config: Config, logger: Logger, fn: (queues: StageQueues, redis: Redis) => Promise<T>): Promise<T> {
  const { url } = await resolveRedis({ ...config, startRedis: false }, logger);
  const redis = connectRedis(url, { name: 'copydesk-cli', logger });
  const queues = openQueues(config, redis);
  try {
    return await fn(queues, redis);
  } finally {
    await closeQueues(queues);
    redis.disconnect();
  }
}

export async function runDashboard(config: Config, logger: Logger): Promise<void> {
  const { url } = await resolveRedis({ ...config, startRedis: false }, logger);
  const redis = connectRedis(url, { name: 'copydesk-dashboard', logger });
  const queues = openQueues(config, redis);
  const server = createMonitorServer({ config, redis, queues, stats: new PipelineStats(redis, config), logger });
  const { url: at } = await server.listen();
  logger.info({ url: at }, 'dashboard listening');
  await new Promise<void>((resolve) => {
    const stop = () => void server.close().then(() => closeQueues(queues)).then(() => redis.disconnect()).then(resolve);
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

export async function runFailed(config: Config, logger: Logger, opts: { stage?: string; json?: boolean }): Promise<void> {
  await withQueues(config, logger, async (queues) => {
    const failed = await listFailed(queues, { stage: opts.stage ? parseStage(opts.stage) : undefined });
    if (opts.json) {
      process.stdout.write(`${JSON.stringify(failed, null, 2)}\n`);
      return;
    }
    for (const f of failed) process.stdout.write(`${f.stage}\t${f.jobId}\t${f.file ?? ''}\t${f.code}\t${f.message}\n`);
    process.stderr.write(`${failed.length} failed job(s)\n`);
  });
}

export async function runRetry(config: Config, logger: Logger, jobId: string | undefined, opts: { all?: boolean; stage?: string }): Promise<void> {
  const stage: Stage | undefined = opts.stage ? parseStage(opts.stage) : undefined;
  if (!jobId && !opts.all) throw new Error('name a job id, or --all');
  await withQueues(config, logger, async (queues) => {
    const retried = await retryJobs(queues, jobId ? { jobId, stage } : { all: true, stage });
    for (const r of retried) process.stdout.write(`retried\t${r.stage}\t${r.jobId}\n`);
    process.stderr.write(`${retried.length} job(s) retried\n`);
  });
}

export async function runPause(config: Config, logger: Logger, stageName: string, pause: boolean): Promise<void> {
  const stage = parseStage(stageName);
  await withQueues(config, logger, async (queues) => {
    await (pause ? pauseStage(queues, stage) : resumeStage(queues, stage));
    process.stdout.write(`${stage} ${pause ? 'paused' : 'resumed'}\n`);
  });
}

export async function runReplay(config: Config, logger: Logger, names: string[], opts: { failed?: boolean }): Promise<void> {
  if (!names.length && !opts.failed) throw new Error('name files in failed/, or --failed for all of them');
  await withQueues(config, logger, async (queues, redis) => {
    const result = await replayFailedFiles(config, opts.failed ? 'all' : names, { queues, redis });
    for (const m of result.moved) process.stdout.write(`replayed\t${m.name}\n`);
    for (const m of result.missing) process.stdout.write(`missing\t${m}\n`);
    for (const s of result.skipped) process.stdout.write(`skipped\t${s.name}\t${s.reason}\n`);
  });
}

export async function runTrain(input: string, opts: { out: string }): Promise<void> {
  const started = performance.now();
  const model = trainFromJsonl(await readFile(input, 'utf8'));
  await writeFile(opts.out, serializeModel(model));
  process.stderr.write(`trained on ${input} in ${((performance.now() - started) / 1000).toFixed(1)} s → ${opts.out} (use it with COPYDESK_MODEL=${opts.out})\n`);
}

export async function runDedupeRebuild(config: Config, logger: Logger): Promise<void> {
  const store = await createStore(config, logger);
  const { url } = await resolveRedis({ ...config, startRedis: false }, logger);
  const redis = connectRedis(url, { name: 'copydesk-rebuild', logger });
  try {
    const index = new RedisDedupeIndex(redis, ownKey(config, 'dedupe'), config.dedupe, dedupeWindow(config));
    async function* articles(): AsyncGenerator<RebuildArticle> {
      for await (const a of store.all()) yield { id: a.id, capturedAt: a.capturedAt, dedupe: a.dedupe, paragraphs: a.paragraphs };
    }
    const report = await index.rebuild(articles());
    process.stdout.write(`${JSON.stringify(report)}\n`);
  } finally {
    await store.close();
    redis.disconnect();
  }
}
