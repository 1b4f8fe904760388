/**
 * Builds what the processors share (the JobContext) from the parsed config: one Redis
 * connection for queues and counters, the output store, the dedupe index and the stages.
 */
import type { Redis } from 'ioredis';
import type { Config } from '../src/config.js';
import type { Logger } from '../src/logger.js';
import { createStages } from '../src/pipeline.js';
import { PIPELINE_VERSION } from '../src/version.js';
import { RedisDedupeIndex } from '../src/dedupe/redis-index.js';
import { classify, loadModel, type ClassifyInput } from '../src/classify/index.js';
import type { Classification } from '../src/schema/pipeline.js';
import { CopydeskError, ERROR_CODES } from '../src/errors.js';
import { readFile } from 'node:fs/promises';
import { FsStore } from '../src/store/fs.js';
import { PostgresStore } from '../src/store/postgres.js';
import type { ArticleStore } from '../src/store/types.js';
import type { JobContext } from './context.js';
import { closeQueues, openQueues, ownKey } from './queues.js';
import { FileTracker } from './tracker.js';
import { PipelineStats } from './stats.js';
import { Inbox } from './inbox.js';
import { connectRedis, warnUnlessNoeviction } from './redis.js';
import { RecordBatcher } from './record-batcher.js';

export function intakeLimits(config: Config) {
  return {
    maxFileBytes: config.maxFileBytes,
    maxDecompressedBytes: config.maxDecompressedBytes,
    maxRecordsPerFile: config.maxRecordsPerFile,
    maxArticleChars: config.maxArticleChars,
  };
}

export async function createStore(config: Config, logger?: Logger): Promise<ArticleStore> {
  const store: ArticleStore =
    config.store === 'postgres' && config.databaseUrl
      ? new PostgresStore({ connectionString: config.databaseUrl, logger })
      : new FsStore(config.out);
  await store.init();
  return store;
}

/** The classifier with the model from COPYDESK_MODEL, or the shipped default. Loaded once. */
export async function loadClassifier(config: Config): Promise<(input: ClassifyInput) => Classification> {
  if (!config.modelPath) return (input) => classify(input);
  let json: unknown;
  try {
    json = JSON.parse(await readFile(config.modelPath, 'utf8'));
  } catch (err) {
    throw new CopydeskError(ERROR_CODES.MODEL, `cannot read the model ${config.modelPath}: ${(err as Error).message}`);
  }
  const model = loadModel(json);
  return (input) => classify(input, model);
}

export interface Runtime {
  ctx: JobContext;
  connection: Redis;
  close(): Promise<void>;
}

export async function openRuntime(config: Config, logger: Logger, redisUrl: string): Promise<Runtime> {
  const connection = connectRedis(redisUrl, { name: 'copydesk', logger });
  await warnUnlessNoeviction(connection, logger);
  const queues = openQueues(config, connection);
  const store = await createStore(config, logger);
  const ctx: JobContext = {
    config,
    stages: createStages({ limits: intakeLimits(config), pipelineVersion: PIPELINE_VERSION, classifier: await loadClassifier(config) }),
    queues,
    store,
    dedupeIndex: new RedisDedupeIndex(connection, ownKey(config, 'dedupe'), {}, { windowMs: config.dedupeWindowDays * 86_400_000 }),
    tracker: new FileTracker(connection, config),
    stats: new PipelineStats(connection, config),
    inbox: new Inbox(config),
    records: new RecordBatcher(queues.clean, config),
    logger,
  };
  return {
    ctx,
    connection,
    async close() {
      await closeQueues(queues);
      await store.close();
      await ctx.dedupeIndex.close?.();
      connection.disconnect();
    },
  };
}
