/** Basic auth: everything but /healthz refuses a request without the right credentials. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMonitorServer, type MonitorServer } from '../../../jobs/monitor/server.js';
import { createFixture, type Fixture } from './fixture.js';

const basic = (user: string, password: string) => ({ authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` });

describe('monitor server with basic auth', () => {
  let fx: Fixture;
  let server: MonitorServer;
  let url: string;

  beforeAll(async () => {
    fx = await createFixture({ dashboardUser: 'desk', dashboardPassword: 's3cret:with colon' });
    server = createMonitorServer({ config: fx.config, redis: fx.redis, queues: fx.queues, stats: fx.stats, logger: fx.logger });
    url = (await server.listen(0, '127.0.0.1')).url;
  });

  afterAll(async () => {
    await server?.close();
    await fx?.cleanup();
  });

  it('refuses requests without credentials, with a challenge', async () => {
    for (const route of ['/', '/overview', '/api/pipeline', '/metrics', '/readyz', '/api/queues']) {
      const res = await fetch(`${url}${route}`);
      expect(res.status, route).toBe(401);
      expect(res.headers.get('www-authenticate'), route).toMatch(/^Basic realm="copydesk"/);
    }
  });

  it('refuses wrong credentials', async () => {
    expect((await fetch(`${url}/api/pipeline`, { headers: basic('desk', 'wrong') })).status).toBe(401);
    expect((await fetch(`${url}/api/pipeline`, { headers: basic('someone', 's3cret:with colon') })).status).toBe(401);
    expect((await fetch(`${url}/api/pipeline`, { headers: { authorization: 'Bearer abc' } })).status).toBe(401);
  });

  it('accepts the configured credentials', async () => {
    const headers = basic('desk', 's3cret:with colon');
    expect((await fetch(`${url}/api/pipeline`, { headers })).status).toBe(200);
    expect((await fetch(`${url}/`, { headers })).status).toBe(200);
    expect((await fetch(`${url}/metrics`, { headers })).status).toBe(200);
  });

  it('leaves /healthz open for probes', async () => {
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
  });
});

describe('monitor server in read-only mode', () => {
  let fx: Fixture;
  let server: MonitorServer;
  let url: string;

  beforeAll(async () => {
    fx = await createFixture({ dashboardReadOnly: true });
    server = createMonitorServer({ config: fx.config, redis: fx.redis, queues: fx.queues, stats: fx.stats, logger: fx.logger });
    url = (await server.listen(0, '127.0.0.1')).url;
  });

  afterAll(async () => {
    await server?.close();
    await fx?.cleanup();
  });

  it('refuses to pause a queue from the dashboard', async () => {
    const res = await fetch(`${url}/api/queues/clean/pause`, { method: 'PUT' });
    expect(res.status).toBe(405);
    expect(await fx.queues.clean.isPaused()).toBe(false);
  });
});
