/**
 * Redis SIGKILLed in the middle of a run (AOF on) and restarted on the same port and data
 * folder: the pipeline reconnects by itself, every file ends in done/, every article is
 * stored once, with the ids the in-process driver gives the same files.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { startTestRedis, type TestRedis } from '../../helpers/redis-server.js';
import { spawnCli, waitFor, type CliProcess } from '../../helpers/cli.js';
import { listDir, readArticles } from '../../helpers/out.js';
import { dropInto, expectedIds, isAlive, makeWorkspace, settledFiles, sleep, tearDownRun, waitForWatcher, type Workspace, writeSampleVariants } from '../../helpers/pipeline-run.js';

const FILES = 20;

describe('Redis killed and restarted mid-run', () => {
  let ws: Workspace | undefined;
  let redis: TestRedis | undefined;
  let cli: CliProcess | undefined;

  afterAll(() => tearDownRun({ cli, redis, ws }));

  it('resumes after the restart and stores every article once', { timeout: 180_000 }, async () => {
    ws = await makeWorkspace('redis-restart');
    redis = await startTestRedis({ appendonly: true });
    const names = await writeSampleVariants(ws.staging, FILES);
    const expected = expectedIds([ws.staging]);

    cli = spawnCli(['start', '--inbox', ws.inbox, '--out', ws.out], {
      REDIS_URL: redis.url,
      COPYDESK_STABILITY_MS: '100',
      COPYDESK_STATE_DIR: ws.state,
      COPYDESK_BACKOFF_MS: '200',
      COPYDESK_CONCURRENCY_STORE: '1',
    });
    await waitForWatcher(cli);
    await dropInto(ws.inbox, ws.staging, names);

    const out = ws.out;
    const storedAtKill = await waitFor('some articles stored', async () => (await readArticles(out)).length || undefined, 60_000, 20);
    await redis.stop('SIGKILL');
    await sleep(2000);
    expect(isAlive(cli.child), cli.output()).toBe(true);
    await redis.restart();

    const done = ws.done;
    await waitFor('every file in done/', async () => (await settledFiles(done)).length === FILES, 90_000, 200);
    const ids = (await readArticles(ws.out)).map((a) => a.id).sort();
    expect(ids).toEqual(expected);
    expect(storedAtKill).toBeLessThan(expected.length);
    expect(await listDir(ws.failed)).toEqual([]);
    expect(await listDir(ws.processing)).toEqual([]);

    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
  });
});
