/**
 * The output store failing: out/articles is replaced by a plain file, so every write fails
 * with ENOTDIR (chmod would not do: tests run as root). Store jobs retry with backoff and
 * nothing goes to failed/; once the folder is back, every article lands, once.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { startTestRedis, type TestRedis } from '../../helpers/redis-server.js';
import { spawnCli, waitFor, type CliProcess } from '../../helpers/cli.js';
import { listDir, readArticles } from '../../helpers/out.js';
import { dropInto, expectedIds, makeWorkspace, settledFiles, sleep, tearDownRun, waitForWatcher, type Workspace, writeSampleVariants } from '../../helpers/pipeline-run.js';

const FILES = 5;

interface LogLine {
  msg?: string;
  queue?: string;
  code?: string;
  attempt?: number;
}

function storeFailures(output: string): LogLine[] {
  return output
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as LogLine)
    .filter((l) => l.queue === 'store' && l.msg === 'store failed');
}

describe('output store failing', () => {
  let ws: Workspace | undefined;
  let redis: TestRedis | undefined;
  let cli: CliProcess | undefined;

  afterAll(() => tearDownRun({ cli, redis, ws }));

  it('retries store jobs with backoff and loses nothing when the store comes back', { timeout: 150_000 }, async () => {
    ws = await makeWorkspace('store-outage');
    redis = await startTestRedis();
    const names = await writeSampleVariants(ws.staging, FILES);
    const expected = expectedIds([ws.staging]);

    cli = spawnCli(['start', '--inbox', ws.inbox, '--out', ws.out], {
      REDIS_URL: redis.url,
      COPYDESK_STABILITY_MS: '100',
      COPYDESK_STATE_DIR: ws.state,
      // Default attempts (5 per stage, 12 for store jobs); 100 ms doubling instead of 1 s.
      COPYDESK_BACKOFF_MS: '100',
    });
    await waitForWatcher(cli);

    const articlesDir = path.join(ws.out, 'articles');
    await rm(articlesDir, { recursive: true, force: true });
    await writeFile(articlesDir, 'not a folder: the store is down\n');
    await dropInto(ws.inbox, ws.staging, names);

    const output = () => cli!.output();
    // Past the 5 attempts of the other stages: store jobs outlast an outage by default.
    await waitFor('store retries', async () => storeFailures(output()).some((l) => (l.attempt ?? 0) >= 6), 60_000, 100);
    await sleep(500);
    expect(await listDir(ws.failed)).toEqual([]);
    expect(await settledFiles(ws.done)).toEqual([]);

    await rm(articlesDir, { force: true });
    await mkdir(articlesDir, { recursive: true }); // a retrying store job may be quicker
    const done = ws.done;
    await waitFor('every file in done/', async () => (await settledFiles(done)).length === FILES, 60_000, 200);

    expect((await readArticles(ws.out)).map((a) => a.id).sort()).toEqual(expected);
    expect(await listDir(ws.failed)).toEqual([]);
    const failures = storeFailures(cli.output());
    expect(failures.every((l) => l.code === 'E_STORE_UNAVAILABLE')).toBe(true);
    // Backoff, not a hot loop: with 100 ms doubling, few attempts fit in the outage.
    expect(Math.max(...failures.map((l) => l.attempt ?? 0))).toBeLessThan(10);

    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
  });
});
