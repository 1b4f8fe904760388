import type { Config } from '../src/config.js';
import type { Stages } from '../src/pipeline.js';
import type { ArticleStore } from '../src/store/types.js';
import type { DedupeIndex } from '../src/dedupe/index-types.js';
import type { Logger } from '../src/logger.js';
import type { StageQueues } from './queues.js';
import type { FileTracker } from './tracker.js';
import type { PipelineStats } from './stats.js';
import type { Inbox } from './inbox.js';
import type { RecordBatcher } from './record-batcher.js';
import type { CpuStages } from './cpu-stages.js';

/** What a processor may use; built once per process by the runtime and passed down. */
export interface JobContext {
  config: Config;
  stages: Stages;
  /** clean, split and classify: in CPU threads under a per-document time budget, or inline. */
  cpu: CpuStages;
  queues: StageQueues;
  store: ArticleStore;
  dedupeIndex: DedupeIndex;
  tracker: FileTracker;
  stats: PipelineStats;
  inbox: Inbox;
  /** Gathers intake's records into clean jobs. */
  records: RecordBatcher;
  logger: Logger;
}

/** What one job's processor gets: the context, its logger bound to the job, and the job's id. */
export interface JobRun extends JobContext {
  jobId: string;
}

/** Counters a processor reports for its job, added to the stage's figures in one round trip. */
export type StageCounters = Record<string, number>;
