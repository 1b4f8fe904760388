/**
 * Queue names, key prefixes and default job options: one place, shared by workers, the
 * watcher, the CLI and the dashboard.
 */
import { Queue, type DefaultJobOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { STAGES, type Config, type Stage } from '../src/config.js';

/**
 * BullMQ prefix, hash-tagged so that every key of the pipeline lands in one Redis Cluster
 * slot (BullMQ's Lua scripts touch several keys at once).
 */
export function bullPrefix(config: Pick<Config, 'prefix'>): string {
  return `{${config.prefix}}`;
}

/** Prefix for copydesk's own keys (file tracker, dedupe index, counters), same slot. */
export function ownKey(config: Pick<Config, 'prefix'>, ...parts: string[]): string {
  return [bullPrefix(config), 'cd', ...parts].join(':');
}

/** The retry delay every worker computes (Worker settings.backoffStrategy): doubling, capped. */
export const BACKOFF_TYPE = 'capped-exponential';

export function backoffDelay(config: Config, attemptsMade: number): number {
  return Math.min(config.backoffMaxMs, config.backoffMs * 2 ** Math.max(0, attemptsMade - 1));
}

/** The store stage outlasts an outage of the output store; the others fail sooner, on bad input or bugs. */
export function defaultJobOptions(config: Config, stage?: Stage): DefaultJobOptions {
  return {
    attempts: stage === 'store' ? config.storeAttempts : config.attempts,
    backoff: { type: BACKOFF_TYPE, delay: config.backoffMs },
    removeOnComplete: { count: config.keepCompleted },
    removeOnFail: { count: config.keepFailed },
  };
}

export type StageQueues = Readonly<Record<Stage, Queue>>;

export function openQueues(config: Config, connection: Redis): StageQueues {
  const queues = Object.fromEntries(
    STAGES.map((stage) => [
      stage,
      new Queue(stage, { connection, prefix: bullPrefix(config), defaultJobOptions: defaultJobOptions(config, stage) }),
    ]),
  ) as Record<Stage, Queue>;
  // The queues share `connection`, whose errors its owner logs (connectRedis: rate-limited, without
  // credentials). A Queue without an 'error' listener prints each one to stderr instead, with the
  // failed command's arguments: the password, when Redis refuses it.
  for (const q of Object.values(queues)) q.on('error', () => undefined);
  return Object.freeze(queues);
}

export async function closeQueues(queues: StageQueues): Promise<void> {
  await Promise.all(Object.values(queues).map((q) => q.close()));
}
