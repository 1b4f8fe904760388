/**
 * REDIS_URL with a password: `copydesk start` against a redis-server of its own with
 * `requirepass` puts the sample through the queues on that server (four records); with a wrong
 * password it waits for Redis as designed, logs the refusal with a hint at REDIS_URL, keeps
 * the file, and never writes either password to its output.
 */
import { copyFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnCli, waitFor, type CliProcess } from '../../helpers/cli.js';
import { listDir, readArticles } from '../../helpers/out.js';
import { isAlive, makeWorkspace, SAMPLE, settledFiles, waitForWatcher, type Workspace } from '../../helpers/pipeline-run.js';
import { cleanupTestRedis, startTestRedis, type TestRedis } from '../../helpers/redis-server.js';

/** '#' must be percent-encoded in a URL: the url carries it as %23, copydesk must decode it. */
const PASSWORD = 's3cret#Pw-71c4';
const WRONG = 'wr0ng-Pw-90be';

describe('Redis with a password (REDIS_URL redis://:<password>@host:port)', () => {
  let redis: TestRedis;
  let ws: Workspace;
  const running: CliProcess[] = [];
  const start = (url: string) => {
    const cli = spawnCli(['start', '--inbox', ws.inbox, '--out', ws.out], {
      REDIS_URL: url,
      COPYDESK_STATE_DIR: ws.state,
      COPYDESK_STABILITY_MS: '200',
      COPYDESK_SHUTDOWN_TIMEOUT_MS: '1000',
      COPYDESK_CPU_THREADS: '0', // no worker threads to start: this test is about the connection
    });
    running.push(cli);
    return cli;
  };

  beforeAll(async () => {
    redis = await startTestRedis({ password: PASSWORD });
    ws = await makeWorkspace('redis-auth');
  });

  afterAll(async () => {
    for (const cli of running) if (isAlive(cli.child)) cli.child.kill('SIGKILL');
    if (redis) await cleanupTestRedis(redis);
    await ws?.remove();
  });

  it('a wrong password: logs the refusal and what to check, keeps the file, exits on SIGTERM, prints no password', async () => {
    const wrongUrl = redis.url.replace(encodeURIComponent(PASSWORD), WRONG);
    expect(wrongUrl).toContain(`:${WRONG}@`);
    await mkdir(ws.inbox, { recursive: true });
    await copyFile(SAMPLE, path.join(ws.inbox, 'dump.txt'));
    const cli = start(wrongUrl);
    // Up and waiting for Redis (its signal handlers are installed once it is running).
    await waitFor('the refusal in the log', async () => (/WRONGPASS/.test(cli.output()) && cli.output().includes('copydesk running')) || !isAlive(cli.child), 30_000);
    const log = cli.output();
    const refusal = log.split('\n').find((l) => l.includes('WRONGPASS') && l.includes('Redis connection error'));
    expect(refusal, log.slice(-3000)).toBeDefined();
    expect(JSON.parse(refusal!)).toMatchObject({ level: 40, hint: expect.stringContaining('check the password (and user) in REDIS_URL') });
    // Waiting for Redis is the design (the password may be fixed on the Redis side): still up, nothing lost or failed.
    expect(isAlive(cli.child)).toBe(true);
    expect(await readArticles(ws.out)).toEqual([]);
    expect(await listDir(ws.failed)).toEqual([]);
    expect([...(await listDir(ws.inbox)), ...(await listDir(ws.processing))].some((n) => n.endsWith('dump.txt'))).toBe(true);

    cli.child.kill('SIGTERM');
    const code = await Promise.race([cli.exited, new Promise((r) => setTimeout(() => r('still running 20 s after SIGTERM'), 20_000))]);
    expect(code, cli.output().slice(-3000)).toBe(0);
    expect(cli.output()).not.toContain(WRONG);
    expect(cli.output()).not.toContain('s3cret');
  });

  it('the right password: the sample (kept by the run above) becomes four records, through queues on that Redis', async () => {
    const kept = [...(await listDir(ws.inbox)), ...(await listDir(ws.processing))].some((n) => n.endsWith('dump.txt'));
    if (!kept) {
      // This test run alone.
      await mkdir(ws.inbox, { recursive: true });
      await copyFile(SAMPLE, path.join(ws.inbox, 'dump.txt'));
    }
    const cli = start(redis.url);
    await waitForWatcher(cli);
    await waitFor('the sample in done/', async () => (await settledFiles(ws.done)).includes('dump.txt'), 40_000).catch((err: Error) => {
      throw new Error(`${err.message}\n--- copydesk output (tail) ---\n${cli.output().slice(-3000)}`);
    });
    expect(await readArticles(ws.out)).toHaveLength(4);
    const client = redis.client();
    // The queues ran on this server: its intake queue holds the finished job of the sample.
    expect(await client.zcard('{copydesk}:intake:completed')).toBe(1);
    expect(cli.output()).toContain('"redis":"redis://***@127.0.0.1:');
    expect(cli.output()).not.toContain('s3cret');
    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
  });
});
