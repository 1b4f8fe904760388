/**
 * Redis down at start-up: `copydesk start` keeps waiting (it neither exits nor takes files it
 * cannot queue); the files stay in the inbox, and are processed once Redis answers.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../jobs/redis.js';
import { startTestRedis, type TestRedis } from '../../helpers/redis-server.js';
import { spawnCli, waitFor, type CliProcess } from '../../helpers/cli.js';
import { readArticles, listDir } from '../../helpers/out.js';
import { dropInto, expectedIds, isAlive, makeWorkspace, settledFiles, sleep, tearDownRun, type Workspace, writeSampleVariants } from '../../helpers/pipeline-run.js';

const FILES = 3;

describe('Redis down at start-up', () => {
  let ws: Workspace | undefined;
  let redis: TestRedis | undefined;
  let cli: CliProcess | undefined;

  afterAll(() => tearDownRun({ cli, redis, ws }));

  it('waits for Redis, leaves the files in the inbox, then processes them all', { timeout: 150_000 }, async () => {
    ws = await makeWorkspace('redis-down');
    const names = await writeSampleVariants(ws.staging, FILES);
    const expected = expectedIds([ws.staging]);
    const port = await freePort();

    cli = spawnCli(['start', '--inbox', ws.inbox, '--out', ws.out], {
      REDIS_URL: `redis://127.0.0.1:${port}`,
      COPYDESK_STABILITY_MS: '100',
      COPYDESK_STATE_DIR: ws.state,
    });
    await sleep(1500);
    await dropInto(ws.inbox, ws.staging, names);
    // Long enough for a watcher to have seen and claimed the files, had it started.
    await sleep(4000);

    expect(isAlive(cli.child), cli.output()).toBe(true);
    expect((await listDir(ws.inbox)).filter((n) => names.includes(n))).toEqual([...names].sort());
    expect(await listDir(ws.failed)).toEqual([]);
    expect(await listDir(ws.processing)).toEqual([]);
    expect(await readArticles(ws.out)).toEqual([]);

    redis = await startTestRedis({ port });
    const inbox = ws.inbox;
    await waitFor('every file in done/', async () => (await settledFiles(`${inbox}/done`)).length === FILES, 60_000, 200);
    expect((await readArticles(ws.out)).map((a) => a.id).sort()).toEqual(expected);
    expect(await listDir(ws.failed)).toEqual([]);
    expect(isAlive(cli.child)).toBe(true);

    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
  });
});
