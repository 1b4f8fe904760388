/** startMonitoring: the server on the configured address plus the summary log line. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import pino from 'pino';
import { startMonitoring } from '../../../jobs/monitor/start.js';
import { createFixture, waitFor, type Fixture } from './fixture.js';

describe('startMonitoring', () => {
  let fx: Fixture;

  beforeEach(async () => {
    fx = await createFixture({ port: 0, summaryIntervalMs: 100 });
  });

  afterEach(async () => {
    await fx?.cleanup();
  });

  it('serves the dashboard and logs summaries until closed', async () => {
    const messages: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        for (const l of String(chunk).split('\n').filter(Boolean)) messages.push((JSON.parse(l) as { msg: string }).msg);
        done();
      },
    });
    const monitor = await startMonitoring({ config: fx.config, redis: fx.redis, queues: fx.queues, stats: fx.stats, logger: pino({ level: 'info' }, sink) });
    try {
      expect(monitor.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect((await fetch(`${monitor.url}/healthz`)).status).toBe(200);
      await waitFor('a summary line', async () => messages.some((m) => m.startsWith('store: processed 0')));
      expect(messages.some((m) => m === 'dashboard listening')).toBe(true);
    } finally {
      await monitor.close();
    }
    await expect(fetch(`${monitor.url}/healthz`)).rejects.toThrow();
  });
});
