/**
 * The monitoring side of a long-running copydesk process in one call: the dashboard server
 * on the configured port and host, and the per-stage summary log line every
 * `summaryIntervalMs` (0 turns it off). For `copydesk start` and `copydesk dashboard`.
 */
import type { Config } from '../../src/config.js';
import { createMonitorServer, type MonitorServerDeps } from './server.js';
import { startSummaryLogger } from './summary-logger.js';

export interface RunningMonitor {
  url: string;
  close(): Promise<void>;
}

export async function startMonitoring(
  deps: MonitorServerDeps & { config: MonitorServerDeps['config'] & Pick<Config, 'summaryIntervalMs'> },
  opts: { port?: number; host?: string; summary?: boolean } = {},
): Promise<RunningMonitor> {
  const server = createMonitorServer(deps);
  const { url } = await server.listen(opts.port ?? deps.config.port, opts.host ?? deps.config.host);
  const interval = deps.config.summaryIntervalMs;
  const stopSummary = opts.summary !== false && interval > 0 ? startSummaryLogger({ ...deps, intervalMs: interval }) : undefined;
  return {
    url,
    async close() {
      await stopSummary?.();
      await server.close();
    },
  };
}
