/**
 * A private redis-server on a free port, for tests that stop, restart or fill Redis; with a
 * password (`requirepass`) and/or TLS only (no plain port) when asked.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Redis, type RedisOptions } from 'ioredis';
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

/** Files of a throwaway certificate authority and a server certificate it signed for 127.0.0.1. */
export interface TlsFiles {
  caCert: string;
  serverCert: string;
  serverKey: string;
}

/** Whether this machine's redis-server was built with TLS (`--tls-port` is a known directive). */
export function redisServerHasTls(): boolean {
  const r = spawnSync('redis-server', ['--port', '0', '--tls-port', '0'], { encoding: 'utf8', timeout: 10_000 });
  // Built with TLS it accepts the directives, then finds nothing to listen on and exits.
  return /not listen anywhere/i.test(`${r.stdout}${r.stderr}`);
}

/** Makes a CA and a server certificate (SAN IP:127.0.0.1, DNS:localhost) with openssl in `dir`. */
export function makeTlsFiles(dir: string): TlsFiles {
  const f = (n: string) => path.join(dir, n);
  const run = (args: string[]) => {
    const r = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`openssl ${args[0]} failed: ${r.stderr || r.error?.message}`);
  };
  run(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', f('ca.key'), '-out', f('ca.crt'), '-days', '2', '-subj', '/CN=copydesk test CA']);
  run(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', f('server.key'), '-out', f('server.csr'), '-subj', '/CN=127.0.0.1']);
  writeFileSync(f('san.cnf'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  run(['x509', '-req', '-in', f('server.csr'), '-CA', f('ca.crt'), '-CAkey', f('ca.key'), '-CAcreateserial', '-out', f('server.crt'), '-days', '2', '-extfile', f('san.cnf')]);
  return { caCert: f('ca.crt'), serverCert: f('server.crt'), serverKey: f('server.key') };
}

async function waitForPing(port: number, timeoutMs = 10_000, auth: RedisOptions = {}): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const c = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, ...auth });
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

/**
 * `port`: listen on a port chosen earlier (e.g. one a pipeline was already told to use).
 * `password`: requirepass; the url carries it. `tls`: serve TLS only on `port` (plain port 0);
 * the url is rediss://, and this process's own clients trust the CA.
 */
export async function startTestRedis(opts: { appendonly?: boolean; port?: number; password?: string; tls?: TlsFiles } = {}): Promise<TestRedis> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'copydesk-redis-'));
  const port = opts.port ?? (await freePort());
  const listen = opts.tls
    ? ['--port', '0', '--tls-port', String(port), '--tls-cert-file', opts.tls.serverCert, '--tls-key-file', opts.tls.serverKey, '--tls-ca-cert-file', opts.tls.caCert, '--tls-auth-clients', 'no']
    : ['--port', String(port)];
  const args = [...listen, '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', opts.appendonly ? 'yes' : 'no', '--maxmemory-policy', 'noeviction'];
  if (opts.password !== undefined) args.push('--requirepass', opts.password);
  const auth: RedisOptions = {
    ...(opts.password !== undefined ? { password: opts.password } : {}),
    ...(opts.tls ? { tls: { ca: readFileSync(opts.tls.caCert) } } : {}),
  };
  const clients: Redis[] = [];
  const launch = () => spawn('redis-server', args, { stdio: 'ignore' });
  const credentials = opts.password !== undefined ? `:${encodeURIComponent(opts.password)}@` : '';
  const handle: TestRedis = {
    url: `${opts.tls ? 'rediss' : 'redis'}://${credentials}127.0.0.1:${port}`,
    port,
    dir,
    process: launch(),
    client() {
      const c = new Redis(port, '127.0.0.1', { maxRetriesPerRequest: null, ...auth });
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
      await waitForPing(port, undefined, auth);
    },
  };
  await waitForPing(port, undefined, auth);
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
