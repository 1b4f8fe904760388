/**
 * Readiness of the pipeline: Redis answers PING quickly, every stage with waiting jobs has a
 * worker, and no stage is stalled. A stage is stalled when its waiting count grew between
 * two checks while none of its jobs was active at either check: work arrives and nobody
 * takes it (workers wedged, or gone where Redis cannot list clients). A paused stage is the
 * operator's choice, neither.
 */
import type { Redis } from 'ioredis';
import { STAGES, type Stage } from '../../src/config.js';
import type { StageQueues } from '../queues.js';

export interface ReadinessResult {
  ready: boolean;
  reason?: string;
  redis: 'up' | 'down';
  stalled: Stage[];
  /** Stages with waiting jobs and no worker connected. */
  unattended: Stage[];
}

interface Sample {
  waiting: number;
  active: number;
  paused: boolean;
  /** null when Redis refuses CLIENT LIST (managed Redis): only the stall rule applies then. */
  workers: number | null;
}

export class ReadinessCheck {
  private previous: Partial<Record<Stage, Sample>> = {};

  /**
   * `probe` is a connection of its own with no offline queue, so PING fails at once while
   * Redis is down instead of waiting for it to come back.
   */
  constructor(
    private readonly probe: Redis,
    private readonly queues: StageQueues,
    private readonly timeoutMs: number,
  ) {}

  async check(): Promise<ReadinessResult> {
    try {
      await withTimeout(this.probe.ping(), this.timeoutMs, 'Redis PING');
    } catch (err) {
      return { ready: false, redis: 'down', stalled: [], unattended: [], reason: `Redis unreachable: ${(err as Error).message}` };
    }
    let samples: [Stage, Sample][];
    try {
      samples = await withTimeout(Promise.all(STAGES.map(async (stage) => [stage, await this.sample(stage)] as [Stage, Sample])), this.timeoutMs, 'queue counts');
    } catch (err) {
      return { ready: false, redis: 'down', stalled: [], unattended: [], reason: `cannot read queue counts: ${(err as Error).message}` };
    }
    const stalled: Stage[] = [];
    const unattended: Stage[] = [];
    for (const [stage, now] of samples) {
      const before = this.previous[stage];
      this.previous[stage] = now;
      if (now.paused) continue;
      if (now.waiting > 0 && now.workers === 0) unattended.push(stage);
      else if (before && !before.paused && now.waiting > before.waiting && now.active === 0 && before.active === 0) stalled.push(stage);
    }
    const reasons = [
      ...(unattended.length ? [`no worker for waiting jobs in ${unattended.join(', ')}`] : []),
      ...(stalled.length ? [`stalled: waiting jobs grow with none active in ${stalled.join(', ')}`] : []),
    ];
    if (reasons.length) return { ready: false, redis: 'up', stalled, unattended, reason: reasons.join('; ') };
    return { ready: true, redis: 'up', stalled, unattended };
  }

  private async sample(stage: Stage): Promise<Sample> {
    const queue = this.queues[stage];
    const [counts, paused, workers] = await Promise.all([
      queue.getJobCounts('waiting', 'prioritized', 'active'),
      queue.isPaused(),
      queue.getWorkersCount().catch(() => null),
    ]);
    return { waiting: (counts.waiting ?? 0) + (counts.prioritized ?? 0), active: counts.active ?? 0, paused, workers };
  }
}

export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
