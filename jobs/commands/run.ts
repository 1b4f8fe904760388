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
  const redis = await resolveRedis(config, logger);
  const runtime = await openRuntime(config, logger, redis.url);
  let workers: RunningWorkers | undefined;
  let watcher: RunningWatcher | undefined;
  // Threads (CPU stages, intake's parsing) start before the first job, so no job waits for their start-up.
  await runtime.ctx.cpu.warm(parts.stages);
  if (parts.stages.length) workers = startWorkers(runtime.ctx, parts.stages, runtime.connection);
  if (parts.watcher) {
    watcher = await startWatcher({ config, redis: runtime.connection, intakeQueue: runtime.ctx.queues.intake, logger });
  }
  const stopSummary = parts.stages.length && config.summaryIntervalMs
    ? startSummaryLogger({ stats: runtime.ctx.stats, queues: runtime.ctx.queues, logger, intervalMs: config.summaryIntervalMs })
    : undefined;
  let monitor: MonitorServer | undefined;
  if (parts.monitor) {
    monitor = createMonitorServer({ config, redis: runtime.connection, queues: runtime.ctx.queues, stats: runtime.ctx.stats, logger });
    try {
      const { url } = await monitor.listen();
      logger.info({ url }, 'dashboard listening');
    } catch (err) {
      // The pipeline matters more than its dashboard: keep working without it.
      logger.warn({ err, port: config.port }, 'dashboard not served (port in use?); the pipeline runs on');
      monitor = undefined;
    }
  }
  logger.info({ stages: parts.stages, watcher: parts.watcher, redis: redis.url.replace(/\/\/[^@]*@/, '//***@'), out: config.out }, 'copydesk running');

  await new Promise<void>((resolve) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal, timeoutMs: config.shutdownTimeoutMs }, 'shutting down: finishing active jobs');
      // Out within the bound plus a few seconds, whatever hangs in the cleanup (a Redis that went
      // away, a thread that will not stop): jobs still active are taken back once their locks lapse.
      setTimeout(() => {
        logger.warn({ ms: config.shutdownTimeoutMs + CLEANUP_GRACE_MS }, 'cleanup did not finish within the shutdown bound; exiting');
        process.exit(process.exitCode ?? 0);
      }, config.shutdownTimeoutMs + CLEANUP_GRACE_MS).unref();
      void (async () => {
        await watcher?.close();
        await workers?.close(config.shutdownTimeoutMs);
        await stopSummary?.();
        await monitor?.close();
        await runtime.close();
        await redis.stop?.();
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
  });
}
