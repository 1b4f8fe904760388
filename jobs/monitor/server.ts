/**
 * The monitoring HTTP server: bull-board at `/` (every stage queue), the pipeline overview
 * (`/overview`, `/api/pipeline`), Prometheus `/metrics`, `/healthz` and `/readyz`. Basic auth
 * guards everything but /healthz when a dashboard user and password are configured.
 *
 * The caller owns the Redis connection and the queues; the server only adds a small probe
 * connection of its own for /readyz and closes it with itself.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createBullBoard } from '@bull-board/api';
import type { IServerAdapter } from '@bull-board/api/typings/app';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import express, { type Express, type Response } from 'express';
import type { Redis } from 'ioredis';
import { STAGES, type Config } from '../../src/config.js';
import type { Logger } from '../../src/logger.js';
import type { StageQueues } from '../queues.js';
import type { PipelineStats } from '../stats.js';
import { basicAuth } from './auth.js';
import { createPipelineMetrics } from './metrics.js';
import { renderOverview } from './overview-page.js';
import { ReadinessCheck, withTimeout } from './readiness.js';
import { pipelineStatus } from './status.js';

/** Bounds on how long a request may wait for Redis before the server answers 503. */
export const MONITOR_TIMEOUTS = { readyMs: 1000, statusMs: 5000 } as const;

const OPEN_PATHS = ['/healthz'] as const;

export interface MonitorServerDeps {
  config: Pick<Config, 'port' | 'host' | 'dashboardUser' | 'dashboardPassword' | 'dashboardReadOnly' | 'inbox' | 'doneDir' | 'failedDir' | 'processingDir'>;
  redis: Redis;
  queues: StageQueues;
  stats: PipelineStats;
  logger: Logger;
}

export interface MonitorServer {
  app: Express;
  /** Listens on `port`/`host` (default: the config's); resolves with the bound address. */
  listen(port?: number, host?: string): Promise<{ port: number; url: string }>;
  close(): Promise<void>;
}

export function createMonitorServer({ config, redis, queues, stats, logger }: MonitorServerDeps): MonitorServer {
  const log = logger.child({ component: 'monitor' });
  const probe = redis.duplicate({ enableOfflineQueue: false, maxRetriesPerRequest: 0, commandTimeout: MONITOR_TIMEOUTS.readyMs, connectionName: 'copydesk-health' });
  probe.on('error', (err) => log.debug({ err }, 'readiness probe connection error'));
  const readiness = new ReadinessCheck(probe, queues, MONITOR_TIMEOUTS.readyMs);
  const metrics = createPipelineMetrics();
  const readStatus = () => withTimeout(pipelineStatus({ config, queues, stats }), MONITOR_TIMEOUTS.statusMs, 'reading the pipeline status');

  const app = express();
  app.disable('x-powered-by');
  if (config.dashboardUser && config.dashboardPassword) {
    app.use(basicAuth(config.dashboardUser, config.dashboardPassword, { except: OPEN_PATHS }));
  }

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', uptimeSeconds: Math.round(process.uptime()) });
  });
  app.get('/readyz', async (_req, res) => {
    const result = await readiness.check();
    res.status(result.ready ? 200 : 503).json(result);
  });
  app.get('/api/pipeline', async (_req, res) => {
    await answer(res, async () => res.json(await readStatus()));
  });
  app.get('/overview', async (_req, res) => {
    await answer(res, async () => res.type('html').send(renderOverview(await readStatus(), { dashboardHref: '/' })));
  });
  app.get('/metrics', async (_req, res) => {
    await answer(res, async () => {
      const text = await metrics.render(await readStatus());
      res.type(metrics.contentType).send(text);
    });
  });

  // Registered last: bull-board's router answers `/` and its own /api/queues… routes.
  const board = new ExpressAdapter();
  board.setBasePath('/');
  createBullBoard({
    queues: STAGES.map((stage) => new BullMQAdapter(queues[stage], { readOnlyMode: config.dashboardReadOnly, description: `copydesk stage: ${stage}` })),
    // @bull-board/express pins its own copy of @bull-board/api (a patch version apart), whose
    // types differ only in private fields; the adapter contract is the same.
    serverAdapter: board as unknown as IServerAdapter,
    options: {
      uiConfig: {
        boardTitle: 'copydesk',
        miscLinks: [{ text: 'Pipeline overview', url: '/overview' }],
        sortQueues: false,
      },
    },
  });
  app.use('/', board.getRouter());

  async function answer(res: Response, send: () => Promise<unknown>): Promise<void> {
    try {
      await send();
    } catch (err) {
      log.warn({ err }, 'monitor request failed');
      if (!res.headersSent) res.status(503).json({ error: (err as Error).message });
    }
  }

  let server: http.Server | undefined;
  return {
    app,
    listen(port = config.port, host = config.host) {
      return new Promise((resolve, reject) => {
        const srv = http.createServer(app);
        srv.once('error', reject);
        srv.listen(port, host, () => {
          server = srv;
          const bound = srv.address() as AddressInfo;
          const url = `http://${bound.family === 'IPv6' ? `[${bound.address}]` : bound.address}:${bound.port}`;
          log.info({ url, auth: Boolean(config.dashboardUser && config.dashboardPassword), readOnly: config.dashboardReadOnly }, 'dashboard listening');
          resolve({ port: bound.port, url });
        });
      });
    },
    async close() {
      if (server) {
        const srv = server;
        server = undefined;
        await new Promise<void>((resolve) => {
          srv.close(() => resolve());
          srv.closeAllConnections();
        });
      }
      probe.disconnect();
    },
  };
}
