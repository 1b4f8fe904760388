/**
 * Ctrl-C in the terminal where `npm start` runs: the signal reaches the whole foreground group
 * (npm, tsx and copydesk), and the wrappers relay it, so copydesk gets it twice at once. It must
 * still shut down gracefully (finish, close, exit 0), not die on the relayed copy.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { cleanupTestRedis, startTestRedis, type TestRedis } from '../helpers/redis-server.js';
import { ROOT, spawnCli, waitFor } from '../helpers/cli.js';

describe('Ctrl-C to `tsx jobs/cli.ts start` (what npm start runs)', () => {
  let redis: TestRedis | undefined;
  let dir: string | undefined;
  afterAll(async () => {
    if (redis) await cleanupTestRedis(redis);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('stops gracefully and exits 0', { timeout: 90_000 }, async () => {
    redis = await startTestRedis();
    dir = await mkdtemp(path.join(os.tmpdir(), 'copydesk-ctrl-c-'));
    // its own process group, as a terminal gives a foreground job
    const child = spawn(path.join(ROOT, 'node_modules/.bin/tsx'), ['jobs/cli.ts', 'start', '--inbox', path.join(dir, 'inbox'), '--out', path.join(dir, 'out'), '--port', '0'], {
      cwd: ROOT,
      env: { ...process.env, REDIS_URL: redis.url, LOG_LEVEL: 'info', COPYDESK_STATE_DIR: path.join(dir, 'state') },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let out = '';
    child.stdout!.on('data', (d) => (out += d));
    child.stderr!.on('data', (d) => (out += d));
    const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
    await waitFor('copydesk running', async () => out.includes('copydesk running'), 60_000, 100);

    process.kill(-child.pid!, 'SIGINT'); // the whole group, as the terminal does
    expect(await exited, out.slice(-2000)).toBe(0);
    expect(out).toContain('"msg":"stopped"');
    expect(out).not.toContain('second signal');
  });

  it('stops gracefully on SIGTERM that comes while it is still starting', { timeout: 90_000 }, async () => {
    redis ??= await startTestRedis();
    dir ??= await mkdtemp(path.join(os.tmpdir(), 'copydesk-ctrl-c-'));
    const cli = spawnCli(['start', '--inbox', path.join(dir, 'inbox-early'), '--out', path.join(dir, 'out-early')], {
      REDIS_URL: redis.url,
      COPYDESK_STATE_DIR: path.join(dir, 'state-early'),
    });
    // Sent as soon as the process says it is starting: its threads are still warming then.
    await waitFor('copydesk starting', async () => cli.output().includes('copydesk starting'), 60_000, 5);
    cli.child.kill('SIGTERM');
    expect(await cli.exited, cli.output().slice(-2000)).toBe(0);
    expect(cli.output()).toContain('"msg":"stopped"');
  });
});
