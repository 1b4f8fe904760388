/** /readyz turns 503 quickly when Redis stops, and ready again when it is back. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMonitorServer, type MonitorServer } from '../../../jobs/monitor/server.js';
import { cleanupTestRedis, startTestRedis, type TestRedis } from '../../helpers/redis-server.js';
import { createFixture, waitFor, type Fixture } from './fixture.js';

describe('/readyz when Redis stops', () => {
  let redis: TestRedis;
  let fx: Fixture;
  let server: MonitorServer;
  let url: string;

  beforeAll(async () => {
    redis = await startTestRedis();
    fx = await createFixture({}, redis.url);
    server = createMonitorServer({ config: fx.config, redis: fx.redis, queues: fx.queues, stats: fx.stats, logger: fx.logger });
    url = (await server.listen(0, '127.0.0.1')).url;
  });

  afterAll(async () => {
    await server?.close();
    await fx?.cleanup();
    if (redis) await cleanupTestRedis(redis);
  });

  it('is ready, then not ready (fast) while Redis is down, then ready again', async () => {
    await waitFor('ready', async () => (await fetch(`${url}/readyz`)).status === 200);

    await redis.stop();
    const started = Date.now();
    const down = await fetch(`${url}/readyz`);
    const tookMs = Date.now() - started;
    expect(down.status).toBe(503);
    const body = (await down.json()) as { ready: boolean; redis: string; reason: string };
    expect(body).toMatchObject({ ready: false, redis: 'down' });
    expect(body.reason).toMatch(/Redis/);
    expect(tookMs).toBeLessThan(3000);
    // The process itself is fine.
    expect((await fetch(`${url}/healthz`)).status).toBe(200);

    await redis.restart();
    await waitFor('ready again', async () => (await fetch(`${url}/readyz`)).status === 200, 20_000);
  });
});
