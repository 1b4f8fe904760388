/**
 * Builds what the processors share (the JobContext) from the parsed config: one Redis
 * connection for queues and counters, the output store, the dedupe index and the stages.
 */
import type { Redis } from 'ioredis';
import type { Config } from '../src/config.js';
import type { Logger } from '../src/logger.js';
import { createStages } from '../src/pipeline.js';
import { PIPELINE_VERSION } from '../src/version.js';
import { MemoryDedupeIndex } from '../src/dedupe/memory-index.js';
import { FsStore } from '../src/store/fs.js';
import { PostgresStore } from '../src/store/postgres.js';
import type { ArticleStore } from '../src/store/types.js';
import type { JobContext } from './context.js';
import { closeQueues, openQueues } from './queues.js';
import { FileTracker } from './tracker.js';
import { PipelineStats } from './stats.js';
import { Inbox } from './inbox.js';
import { connectRedis, warnUnlessNoeviction } from './redis.js';

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

export interface Runtime {
  ctx: JobContext;
  connection: Redis;
  close(): Promise<void>;
}

export async function openRuntime(config: Config, logger: Logger, redisUrl: string): Promise<Runtime> {
  const connection = connectRedis(redisUrl, { name: 'copydesk' });
  await warnUnlessNoeviction(connection, logger);
  const queues = openQueues(config, connection);
  const store = await createStore(config, logger);
  const ctx: JobContext = {
    config,
    stages: createStages({ limits: intakeLimits(config), pipelineVersion: PIPELINE_VERSION }),
    queues,
    store,
    dedupeIndex: new MemoryDedupeIndex(),
    tracker: new FileTracker(connection, config),
    stats: new PipelineStats(connection, config),
    inbox: new Inbox(config),
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
