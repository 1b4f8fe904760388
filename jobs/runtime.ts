/**
 * Builds what the processors share (the JobContext) from the parsed config: one Redis
 * connection for queues and counters, the output store, the dedupe index and the stages.
 */
import type { Redis } from 'ioredis';
import type { Config } from '../src/config.js';
import type { Logger } from '../src/logger.js';
import { RedisDedupeIndex } from '../src/dedupe/redis-index.js';
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
import { inlineCpuStages } from './cpu-stages.js';
import { pooledCpuStages } from './cpu-pool.js';
import { buildStages, dedupeWindow } from './stage-deps.js';

export { buildStages, dedupeWindow, intakeLimits, loadClassifier } from './stage-deps.js';

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
  const connection = connectRedis(redisUrl, { name: 'copydesk', logger });
  await warnUnlessNoeviction(connection, logger);
  const queues = openQueues(config, connection);
  const store = await createStore(config, logger);
  const stages = await buildStages(config);
  const ctx: JobContext = {
    config,
    stages,
    cpu: config.cpuThreads > 0 ? pooledCpuStages(config, logger) : inlineCpuStages(stages),
    queues,
    store,
    dedupeIndex: new RedisDedupeIndex(connection, ownKey(config, 'dedupe'), config.dedupe, dedupeWindow(config)),
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
      await ctx.cpu.close();
      await closeQueues(queues);
      await store.close();
      await ctx.dedupeIndex.close?.();
      connection.disconnect();
    },
  };
}
