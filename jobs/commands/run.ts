/**
 * `copydesk start | worker | watch`: long-running processes. SIGINT/SIGTERM stop taking
 * work, let active jobs finish within the shutdown bound, then close everything.
 */
import type { Config, Stage } from '../../src/config.js';
import type { Logger } from '../../src/logger.js';
import { openRuntime } from '../runtime.js';
import { resolveRedis } from '../redis.js';
import { startWorkers, type RunningWorkers } from '../worker.js';
import { startWatcher, type RunningWatcher } from '../watcher.js';
import { createMonitorServer, startSummaryLogger, type MonitorServer } from '../monitor/index.js';

/** How long after a clean stop stray timers may keep the process alive. */
const STRAGGLER_GRACE_MS = 500;
/** Signals closer than this to the first are the same press of Ctrl-C, relayed. */
const REPEATED_SIGNAL_MS = 2000;
/** Past the shutdown bound, closing connections and threads gets this long; then the process leaves anyway. */
const CLEANUP_GRACE_MS = 2500;

export interface RunParts {
  watcher: boolean;
  stages: readonly Stage[];
  /** Serve the dashboard, overview, /metrics and health checks from this process. */
  monitor?: boolean;
}

export async function runPipeline(config: Config, logger: Logger, parts: RunParts): Promise<void> {
  let redis: Awaited<ReturnType<typeof resolveRedis>> | undefined;
  let runtime: Awaited<ReturnType<typeof openRuntime>> | undefined;
  let workers: RunningWorkers | undefined;
  let watcher: RunningWatcher | undefined;
  let stopSummary: (() => Promise<void>) | undefined;
  let monitor: MonitorServer | undefined;
  // Signals are handled from the first line: a stop asked for while the process is still
  // starting (threads warming, workers already taking jobs) waits for the start to settle,
  // which then starts nothing more, and closes what was started.
  let stopAsked = false;
  let startup: Promise<void> = Promise.resolve();
  const stopped = onStopSignal(config, logger, async () => {
    stopAsked = true;
    await startup.catch(() => undefined);
    await watcher?.close();
    await workers?.close(config.shutdownTimeoutMs);
    await stopSummary?.();
    await monitor?.close();
    await runtime?.close();
    await redis?.stop?.();
  });
  startup = (async () => {
    logger.info({ stages: parts.stages, watcher: parts.watcher }, 'copydesk starting');
    redis = await resolveRedis(config, logger);
    if (stopAsked) return;
    runtime = await openRuntime(config, logger, redis.url);
    if (stopAsked) return;
    // Threads (CPU stages, intake's parsing) start before the first job, so no job waits for their start-up.
    await runtime.ctx.cpu.warm(parts.stages);
    if (stopAsked) return;
    if (parts.stages.length) workers = startWorkers(runtime.ctx, parts.stages, runtime.connection);
    if (parts.watcher) {
      watcher = await startWatcher({ config, redis: runtime.connection, intakeQueue: runtime.ctx.queues.intake, logger });
      if (stopAsked) return;
    }
    if (parts.stages.length && config.summaryIntervalMs) {
      stopSummary = startSummaryLogger({ stats: runtime.ctx.stats, queues: runtime.ctx.queues, logger, intervalMs: config.summaryIntervalMs });
    }
    if (parts.monitor) monitor = await serveMonitor(config, logger, runtime);
    if (stopAsked) return;
    logger.info({ stages: parts.stages, watcher: parts.watcher, redis: redis.url.replace(/\/\/[^@]*@/, '//***@'), out: config.out }, 'copydesk running');
  })();
  try {
    await startup;
  } catch (err) {
    stopped.release();
    throw err;
  }
  await stopped.done;
}

async function serveMonitor(config: Config, logger: Logger, runtime: Awaited<ReturnType<typeof openRuntime>>): Promise<MonitorServer | undefined> {
  const monitor = createMonitorServer({ config, redis: runtime.connection, queues: runtime.ctx.queues, stats: runtime.ctx.stats, logger });
  try {
    const { url } = await monitor.listen();
    logger.info({ url }, 'dashboard listening');
    return monitor;
  } catch (err) {
    // The pipeline matters more than its dashboard: keep working without it.
    logger.warn({ err, port: config.port }, 'dashboard not served (port in use?); the pipeline runs on');
    return undefined;
  }
}

/**
 * Runs `close` on the first SIGINT/SIGTERM, bounded: out within the shutdown bound plus a few
 * seconds, whatever hangs in the cleanup (a Redis that went away, a thread that will not stop);
 * jobs still active are taken back once their locks lapse. `done` settles once closed;
 * `release` removes the handlers (a start that failed).
 */
function onStopSignal(config: Config, logger: Logger, close: () => Promise<void>): { done: Promise<void>; release(): void } {
  let release = () => undefined as void;
  const done = new Promise<void>((resolve) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal, timeoutMs: config.shutdownTimeoutMs }, 'shutting down: finishing active jobs');
      setTimeout(() => {
        logger.warn({ ms: config.shutdownTimeoutMs + CLEANUP_GRACE_MS }, 'cleanup did not finish within the shutdown bound; exiting');
        process.exit(process.exitCode ?? 0);
      }, config.shutdownTimeoutMs + CLEANUP_GRACE_MS).unref();
      void (async () => {
        await close();
        logger.info('stopped');
        // Everything is closed; what may still hold the event loop is a reconnect timer of a
        // connection to a Redis that went away. The process has nothing left to do: leave.
        setTimeout(() => process.exit(process.exitCode ?? 0), STRAGGLER_GRACE_MS).unref();
        resolve();
      })();
    };
    // A terminal's Ctrl-C reaches the whole foreground group: a wrapper (npm start, tsx) and this
    // process, and the wrapper relays it, so one press arrives twice. Only a signal well after
    // the first forces the exit.
    let firstSignalAt = 0;
    const onSignal = (signal: NodeJS.Signals) => {
      if (!firstSignalAt) {
        firstSignalAt = Date.now();
        return stop(signal);
      }
      if (Date.now() - firstSignalAt < REPEATED_SIGNAL_MS) return;
      logger.warn({ signal }, 'second signal: exiting without finishing the shutdown');
      process.exit(130);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    release = () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    };
  });
  return { done, release: () => release() };
}
