/**
 * copydesk's own redis-server (`copydesk start` with no Redis around): a Ctrl-C to the terminal's
 * process group must not stop Redis before copydesk has finished with it, and one left behind by
 * a killed copydesk is taken back rather than started twice on the same data.
 */
import { describe, expect, it, afterAll } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { isAlive, startPrivateRedis } from '../../../jobs/redis.js';
import { createLogger } from '../../../src/logger.js';
import { waitFor } from '../../helpers/cli.js';

const HOST = path.resolve(import.meta.dirname, '../../fixtures/private-redis-host.ts');
const hasRedis = spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
const dirs: string[] = [];

const alive = isAlive;

function host(dir: string) {
  // Its own process group, as a terminal gives a foreground job: a group signal reaches all of it.
  const child = spawn(process.execPath, ['--import', 'tsx', HOST, dir], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  return { child, output: () => out, exited };
}

const redisPid = async (dir: string) => Number((await readFile(path.join(dir, 'redis.pid'), 'utf8')).trim());

afterAll(async () => {
  for (const d of dirs) {
    const pid = await redisPid(d).catch(() => 0);
    if (pid && alive(pid)) process.kill(pid, 'SIGTERM');
    await rm(d, { recursive: true, force: true });
  }
});

describe.skipIf(!hasRedis)('private redis-server', () => {
  it('survives a Ctrl-C to the process group until copydesk stops it, then is gone', { timeout: 30_000 }, async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'copydesk-private-redis-'));
    dirs.push(dir);
    const h = host(dir);
    await waitFor('the private Redis', async () => h.output().includes('url '), 20_000);
    const pid = await redisPid(dir);
    expect(alive(pid)).toBe(true);
    process.kill(-h.child.pid!, 'SIGINT');
    expect(await h.exited).toBe(0);
    expect(h.output()).toContain('answered after SIGINT: true');
    await waitFor('redis-server to exit', async () => !alive(pid), 10_000);
  });

  it('is taken back after copydesk was killed, not started twice on the same data', { timeout: 30_000 }, async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'copydesk-private-redis-'));
    dirs.push(dir);
    const h = host(dir);
    await waitFor('the private Redis', async () => h.output().includes('url '), 20_000);
    const url = /url (\S+)/.exec(h.output())![1];
    const pid = await redisPid(dir);
    process.kill(h.child.pid!, 'SIGKILL');
    await h.exited;
    expect(alive(pid)).toBe(true);

    const again = await startPrivateRedis(dir, createLogger('silent'));
    expect(again.url).toBe(url);
    expect(await redisPid(dir)).toBe(pid);
    await again.stop!();
    expect(alive(pid)).toBe(false);
  });
});
