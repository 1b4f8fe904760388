/**
 * An operator's way out of a long outage: store jobs that used up their attempts are listed by
 * `copydesk failed` and run again by `copydesk retry --all` once the store is back. Every
 * article then lands, once, and the files end where they belong.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { startTestRedis, type TestRedis } from '../../helpers/redis-server.js';
import { runCli, spawnCli, waitFor, type CliProcess } from '../../helpers/cli.js';
import { listDir, readArticles } from '../../helpers/out.js';
import { dropInto, expectedIds, makeWorkspace, settledFiles, tearDownRun, waitForWatcher, type Workspace, writeSampleVariants } from '../../helpers/pipeline-run.js';

const FILES = 2;

describe('copydesk retry after store jobs failed for good', () => {
  let ws: Workspace | undefined;
  let redis: TestRedis | undefined;
  let cli: CliProcess | undefined;

  afterAll(() => tearDownRun({ cli, redis, ws }));

  it('lists the failed store jobs and, retried, stores every article once', { timeout: 120_000 }, async () => {
    ws = await makeWorkspace('retry-failed');
    redis = await startTestRedis();
    const names = await writeSampleVariants(ws.staging, FILES);
    const expected = expectedIds([ws.staging]);
    const env = { REDIS_URL: redis.url, COPYDESK_STABILITY_MS: '100', COPYDESK_STATE_DIR: ws.state, COPYDESK_STORE_ATTEMPTS: '1' };
    cli = spawnCli(['start', '--inbox', ws.inbox, '--out', ws.out, '--port', '0'], env);
    await waitForWatcher(cli);

    // the store is down (a plain file where its folder should be) and store jobs get one attempt
    const articlesDir = path.join(ws.out, 'articles');
    await rm(articlesDir, { recursive: true, force: true });
    await writeFile(articlesDir, 'not a folder: the store is down\n');
    await dropInto(ws.inbox, ws.staging, names);

    const failedStoreJobs = () => {
      const r = runCli(['failed', '--stage', 'store', '--json'], env);
      expect(r.status, r.stderr).toBe(0);
      return JSON.parse(r.stdout) as { jobId: string; code: string; file: string | null }[];
    };
    await waitFor('store jobs failed for good', async () => failedStoreJobs().length > 0, 60_000, 250);
    await waitFor('no store job left to run', async () => {
      const s = JSON.parse(runCli(['status', '--json', '--inbox', ws!.inbox], env).stdout) as { stages: { stage: string; jobs: Record<string, number> }[] };
      const store = s.stages.find((x) => x.stage === 'store')!.jobs;
      return (store.waiting ?? 0) + (store.active ?? 0) + (store.delayed ?? 0) === 0;
    }, 60_000, 250);
    const failed = failedStoreJobs();
    expect(failed.every((f) => f.code === 'E_STORE_UNAVAILABLE')).toBe(true);
    expect(failed.map((f) => f.file).join(',')).toMatch(/dump-/);

    await rm(articlesDir, { force: true });
    await mkdir(articlesDir, { recursive: true });
    const retried = runCli(['retry', '--all', '--stage', 'store'], env);
    expect(retried.status, retried.stderr).toBe(0);

    await waitFor('every article stored', async () => (await readArticles(ws!.out)).length === expected.length, 60_000, 250);
    expect((await readArticles(ws.out)).map((a) => a.id).sort()).toEqual(expected);
    expect(failedStoreJobs()).toEqual([]);
    // the files had gone to failed/; with their articles stored they move on to done/, each
    // with a report that keeps the earlier failure, and failed/ is left empty
    await waitFor('every file in done/', async () => (await settledFiles(ws!.done)).length === FILES, 30_000, 250);
    expect((await settledFiles(ws.done)).sort()).toEqual([...names].sort());
    expect(await listDir(ws.failed)).toEqual([]);
    for (const name of names) {
      const report = JSON.parse(await readFile(path.join(ws.done, `${name}.report.json`), 'utf8')) as { recoveredAt: string; earlierFailure: { code: string } };
      expect(report.earlierFailure.code).toBe('E_STORE_UNAVAILABLE');
      expect(Date.parse(report.recoveredAt)).toBeGreaterThan(0);
    }

    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
  });
});
