/**
 * Redis connections: the configured REDIS_URL; else a Redis already answering on
 * 127.0.0.1:6379; else, when redis-server is on PATH, a private one (AOF on, data in the
 * state folder) that lives as long as this process.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { Redis } from 'ioredis';
import type { Config } from '../src/config.js';
import { CopydeskError, ERROR_CODES } from '../src/errors.js';
import type { Logger } from '../src/logger.js';

const DEFAULT_LOCAL_URL = 'redis://127.0.0.1:6379';

/** A connection fit for BullMQ workers: commands wait for Redis to come back instead of failing. */
export function connectRedis(url: string, opts: { name?: string; logger?: Logger } = {}): Redis {
  const redis = new Redis(url, {
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
    connectionName: opts.name,
    retryStrategy: (times) => Math.min(200 * 2 ** Math.min(times, 6), 10_000),
  });
  // ioredis reconnects by itself; without a listener every failed attempt is printed as "unhandled".
  let lastLogged = 0;
  redis.on('error', (err: Error & { code?: string }) => {
    if (Date.now() - lastLogged < 10_000) return;
    lastLogged = Date.now();
    const hint = connectionHint(err);
    opts.logger?.warn({ err: { message: err.message, code: err.code }, ...(hint ? { hint } : {}) }, 'Redis connection error; retrying');
  });
  return redis;
}

const TLS_TRUST_CODES = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED', 'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/**
 * What to fix, for the connection errors a setting causes rather than an outage (copydesk keeps
 * retrying either way: the setting may be fixed on the Redis side).
 */
export function connectionHint(err: Error & { code?: string }): string | undefined {
  if (/^(WRONGPASS|NOAUTH)\b|invalid password/i.test(err.message)) {
    return 'Redis refused the credentials: check the password (and user) in REDIS_URL, e.g. redis://:<password>@host:6379';
  }
  if (err.code && TLS_TRUST_CODES.has(err.code)) {
    return "Redis's TLS certificate is not trusted: for a private CA, start copydesk with NODE_EXTRA_CA_CERTS=<CA certificate, PEM>";
  }
  return undefined;
}

export async function warnUnlessNoeviction(redis: Redis, logger: Logger): Promise<void> {
  try {
    const reply = (await redis.config('GET', 'maxmemory-policy')) as string[];
    const policy = reply[1];
    if (policy && policy !== 'noeviction') {
      logger.warn({ policy }, `Redis maxmemory-policy is "${policy}": Redis may evict queue keys and lose jobs; set it to "noeviction"`);
    }
  } catch (err) {
    logger.debug({ err }, 'cannot read maxmemory-policy (managed Redis?)');
  }
}

function answersPing(host: string, port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.createConnection({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (d) => done(d.toString().startsWith('+PONG')));
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export interface ResolvedRedis {
  url: string;
  /** Set when copydesk started its own redis-server; stops it. */
  stop?: () => Promise<void>;
}

export async function resolveRedis(config: Config, logger: Logger): Promise<ResolvedRedis> {
  if (config.redisUrl) return { url: config.redisUrl };
  if (await answersPing('127.0.0.1', 6379)) return { url: DEFAULT_LOCAL_URL };
  const hasRedisServer = spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
  if (!config.startRedis || !hasRedisServer) {
    throw new CopydeskError(
      ERROR_CODES.CONFIG,
      'no Redis: set REDIS_URL (e.g. redis://127.0.0.1:6379), start one (`docker compose up redis` or `redis-server`), ' +
        'or install redis-server (`apt-get install redis-server`, `brew install redis`) so copydesk can start a private one',
    );
  }
  return startPrivateRedis(path.join(config.stateDir, 'redis'), logger);
}

/**
 * Starts (or takes back) copydesk's own redis-server, keeping its data in `dir` (AOF on).
 * It runs in its own process group, so a Ctrl-C meant for copydesk does not stop Redis while
 * copydesk is still finishing its jobs; copydesk stops it last. One left running by a copydesk
 * that was killed (its pid and port are kept in `dir`) is taken back, not started twice on
 * the same data.
 */
export async function startPrivateRedis(dir: string, logger: Logger, port?: number): Promise<ResolvedRedis> {
  await mkdir(dir, { recursive: true });
  const pidFile = path.join(dir, 'redis.pid');
  const portFile = path.join(dir, 'redis.port');
  const left = await leftRunning(pidFile, portFile);
  if (left) {
    logger.info({ port: left.port, pid: left.pid, dir }, 'took back the private redis-server an earlier copydesk left running');
    return { url: `redis://127.0.0.1:${left.port}`, stop: () => stopPid(left.pid) };
  }
  const chosen = port ?? (await freePort());
  const child: ChildProcess = spawn(
    'redis-server',
    ['--port', String(chosen), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--save', '', '--maxmemory-policy', 'noeviction', '--pidfile', pidFile],
    { stdio: 'ignore', detached: true },
  );
  const deadline = Date.now() + 10_000;
  while (!(await answersPing('127.0.0.1', chosen))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGTERM');
      throw new CopydeskError(ERROR_CODES.CONFIG, `could not start a private redis-server on port ${chosen}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  await writeFile(portFile, String(chosen));
  // Last resort when copydesk dies of an error: Redis would otherwise outlive it (SIGKILL is covered by leftRunning).
  const onExit = () => child.kill('SIGTERM');
  process.once('exit', onExit);
  logger.info({ port: chosen, dir }, 'started a private redis-server (AOF on); it stops with copydesk');
  return {
    url: `redis://127.0.0.1:${chosen}`,
    stop: async () => {
      process.removeListener('exit', onExit);
      if (child.pid !== undefined) await stopPid(child.pid);
    },
  };
}

async function leftRunning(pidFile: string, portFile: string): Promise<{ pid: number; port: number } | null> {
  const [pid, port] = await Promise.all([pidFile, portFile].map(async (f) => Number((await readFile(f, 'utf8').catch(() => '')).trim())));
  if (!pid || !port || !isAlive(pid)) return null;
  return (await answersPing('127.0.0.1', port)) ? { pid, port } : null;
}

/** Whether a process with this pid exists (signal 0 checks without sending anything). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** SIGTERM (Redis then flushes its AOF and exits), then wait until the process is gone. */
async function stopPid(pid: number): Promise<void> {
  if (!isAlive(pid)) return;
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + 10_000;
  while (isAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
}
