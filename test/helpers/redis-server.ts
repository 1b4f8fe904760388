/** A private redis-server on a free port, for tests that stop, restart or fill Redis. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { freePort } from '../../jobs/redis.js';

export interface TestRedis {
  url: string;
  port: number;
  dir: string;
  process: ChildProcess;
  client(): Redis;
  stop(signal?: NodeJS.Signals): Promise<void>;
  restart(): Promise<void>;
}

async function waitForPing(port: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const c = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    c.on('error', () => undefined); // refused while it boots: the loop tries again
    try {
      await c.connect();
      if ((await c.ping()) === 'PONG') return;
    } catch {
      // not up yet
    } finally {
      c.disconnect();
    }
    if (Date.now() > deadline) throw new Error(`redis-server on ${port} did not start`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** `port`: listen on a port chosen earlier (e.g. one a pipeline was already told to use). */
export async function startTestRedis(opts: { appendonly?: boolean; port?: number } = {}): Promise<TestRedis> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'copydesk-redis-'));
  const port = opts.port ?? (await freePort());
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', opts.appendonly ? 'yes' : 'no', '--maxmemory-policy', 'noeviction'];
  const clients: Redis[] = [];
  const launch = () => spawn('redis-server', args, { stdio: 'ignore' });
  const handle: TestRedis = {
    url: `redis://127.0.0.1:${port}`,
    port,
    dir,
    process: launch(),
    client() {
      const c = new Redis(port, '127.0.0.1', { maxRetriesPerRequest: null });
      c.on('error', () => undefined); // tests stop Redis on purpose; the client reconnects by itself
      clients.push(c);
      return c;
    },
    async stop(signal = 'SIGTERM') {
      const p = handle.process;
      if (p.exitCode !== null || p.signalCode !== null) return;
      await new Promise<void>((resolve) => {
        p.once('exit', () => resolve());
        p.kill(signal);
      });
    },
    async restart() {
      await handle.stop();
      handle.process = launch();
      await waitForPing(port);
    },
  };
  await waitForPing(port);
  const stopAll = handle.stop;
  handle.stop = async (signal) => {
    await stopAll(signal);
  };
  (handle as TestRedis & { cleanup?: () => Promise<void> }).cleanup = async () => {
    for (const c of clients) c.disconnect();
    await stopAll('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  };
  return handle;
}

export async function cleanupTestRedis(r: TestRedis): Promise<void> {
  await (r as TestRedis & { cleanup: () => Promise<void> }).cleanup();
}
