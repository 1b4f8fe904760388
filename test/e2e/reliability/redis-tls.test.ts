/**
 * REDIS_URL over TLS: a redis-server of the test's own serves TLS only (plain port 0) with a
 * certificate from a throwaway CA, and a password. `copydesk start` with
 * rediss://:<password>@127.0.0.1:<port> and the CA given the documented way, Node's
 * NODE_EXTRA_CA_CERTS (no copydesk option), puts the sample through (four records). Without the
 * CA it waits for Redis, logs the certificate error with a hint at NODE_EXTRA_CA_CERTS, and
 * keeps the file.
 */
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnCli, waitFor, type CliProcess } from '../../helpers/cli.js';
import { listDir, readArticles } from '../../helpers/out.js';
import { isAlive, makeWorkspace, SAMPLE, settledFiles, type Workspace } from '../../helpers/pipeline-run.js';
import { cleanupTestRedis, makeTlsFiles, redisServerHasTls, startTestRedis, type TestRedis, type TlsFiles } from '../../helpers/redis-server.js';

const PASSWORD = 'tls-s3cret-5e1d';
const TLS = redisServerHasTls();
if (!TLS) console.warn('redis-tls.test.ts skipped: this redis-server was built without TLS (--tls-port unknown)');

describe.skipIf(!TLS)('Redis over TLS only, with a password (REDIS_URL rediss://:<password>@host:port)', () => {
  let certDir: string;
  let tls: TlsFiles;
  let redis: TestRedis;
  const workspaces: Workspace[] = [];
  const running: CliProcess[] = [];

  async function startOn(tag: string, env: Record<string, string>): Promise<{ ws: Workspace; cli: CliProcess }> {
    const ws = await makeWorkspace(tag);
    workspaces.push(ws);
    await mkdir(ws.inbox, { recursive: true });
    await copyFile(SAMPLE, path.join(ws.inbox, 'dump.txt'));
    const cli = spawnCli(['start', '--inbox', ws.inbox, '--out', ws.out], { REDIS_URL: redis.url, COPYDESK_STATE_DIR: ws.state, COPYDESK_STABILITY_MS: '200', COPYDESK_CPU_THREADS: '0', ...env });
    running.push(cli);
    return { ws, cli };
  }

  beforeAll(async () => {
    certDir = await mkdtemp(path.join(os.tmpdir(), 'copydesk-tls-'));
    tls = makeTlsFiles(certDir);
    redis = await startTestRedis({ password: PASSWORD, tls });
  });

  afterAll(async () => {
    for (const cli of running) if (isAlive(cli.child)) cli.child.kill('SIGKILL');
    if (redis) await cleanupTestRedis(redis);
    for (const ws of workspaces) await ws.remove();
    if (certDir) await rm(certDir, { recursive: true, force: true });
  });

  it('with the CA in NODE_EXTRA_CA_CERTS the sample becomes four records; without it, a clear certificate error and the file kept', async () => {
    expect(redis.url).toMatch(/^rediss:\/\/:tls-s3cret-5e1d@127\.0\.0\.1:\d+$/);
    // Both at once: the one without the CA never gets a connection, so they do not share any work.
    const trusted = await startOn('tls-ok', { NODE_EXTRA_CA_CERTS: tls.caCert });
    const untrusted = await startOn('tls-untrusted', { NODE_EXTRA_CA_CERTS: '' });

    await waitFor('the sample in done/', async () => (await settledFiles(trusted.ws.done)).includes('dump.txt') || !isAlive(trusted.cli.child), 45_000).catch((err: Error) => {
      throw new Error(`${err.message}\n--- copydesk output (tail) ---\n${trusted.cli.output().slice(-3000)}`);
    });
    expect(await settledFiles(trusted.ws.done), trusted.cli.output().slice(-3000)).toEqual(['dump.txt']);
    expect(await readArticles(trusted.ws.out)).toHaveLength(4);
    // Only a TLS connection can have reached this server (its plain port is off).
    expect(await redis.client().zcard('{copydesk}:intake:completed')).toBe(1);
    expect(trusted.cli.output()).toContain('"redis":"rediss://***@127.0.0.1:');

    await waitFor('the certificate error', async () => /self-signed certificate/.test(untrusted.cli.output()) || !isAlive(untrusted.cli.child), 30_000);
    const line = untrusted.cli.output().split('\n').find((l) => l.includes('self-signed certificate') && l.includes('Redis connection error'));
    expect(line, untrusted.cli.output().slice(-3000)).toBeDefined();
    expect(JSON.parse(line!)).toMatchObject({ err: { code: 'SELF_SIGNED_CERT_IN_CHAIN' }, hint: expect.stringContaining('NODE_EXTRA_CA_CERTS') });
    expect(isAlive(untrusted.cli.child)).toBe(true);
    expect(await readArticles(untrusted.ws.out)).toEqual([]);
    expect(await listDir(untrusted.ws.failed)).toEqual([]);

    for (const cli of [trusted.cli, untrusted.cli]) expect(cli.output()).not.toContain('s3cret');
  });
});
