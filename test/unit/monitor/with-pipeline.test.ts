/**
 * The monitor against the real pipeline: `copydesk start` processes the sample and fails an
 * empty file; /metrics and /api/pipeline report what the workers recorded, `failed` lists
 * the real failure, and `replay` gets the failed file processed again (it fails again, as it
 * must, instead of being taken for an already-seen file and moved to done/).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Redis } from 'ioredis';
import { createMonitorServer, type MonitorServer } from '../../../jobs/monitor/server.js';
import { listFailed, pipelineStatus } from '../../../jobs/monitor/ops.js';
import { replayFailedFiles } from '../../../jobs/monitor/replay.js';
import { closeQueues, openQueues, type StageQueues } from '../../../jobs/queues.js';
import { PipelineStats } from '../../../jobs/stats.js';
import { loadConfig, STAGES, type Config } from '../../../src/config.js';
import { spawnCli, waitFor, type CliProcess } from '../../helpers/cli.js';
import { listDir, readArticles } from '../../helpers/out.js';
import { makeWorkspace, SAMPLE, waitForWatcher, type Workspace } from '../../helpers/pipeline-run.js';
import { cleanupTestRedis, startTestRedis, type TestRedis } from '../../helpers/redis-server.js';
import pino from 'pino';

describe('monitor on a running pipeline', () => {
  let ws: Workspace;
  let redis: TestRedis;
  let cli: CliProcess;
  let connection: Redis;
  let config: Config;
  let queues: StageQueues;
  let server: MonitorServer;
  let url: string;

  beforeAll(async () => {
    ws = await makeWorkspace('monitor');
    redis = await startTestRedis();
    cli = spawnCli(['start', '--inbox', ws.inbox, '--out', ws.out], { REDIS_URL: redis.url, COPYDESK_STABILITY_MS: '200', COPYDESK_STATE_DIR: ws.state });
    await waitForWatcher(cli);
    config = loadConfig({}, { inbox: ws.inbox, out: ws.out });
    connection = new Redis(redis.url, { maxRetriesPerRequest: null });
    queues = openQueues(config, connection);
    server = createMonitorServer({ config, redis: connection, queues, stats: new PipelineStats(connection, config), logger: pino({ level: 'silent' }) });
    url = (await server.listen(0, '127.0.0.1')).url;

    await copyFile(SAMPLE, path.join(ws.inbox, 'dump.txt'));
    await writeFile(path.join(ws.inbox, 'empty.txt'), '');
    await waitFor('both files settled', async () => (await listDir(ws.done)).includes('dump.txt') && (await listDir(ws.failed)).includes('empty.txt'), 30_000).catch((err: Error) => {
      throw new Error(`${err.message}\n--- copydesk output (tail) ---\n${cli.output().slice(-3000)}`);
    });
  });

  afterAll(async () => {
    cli?.child.kill('SIGKILL');
    await server?.close();
    if (queues) await closeQueues(queues);
    connection?.disconnect();
    if (redis) await cleanupTestRedis(redis);
    await ws?.remove();
  });

  it('scrapes the counters and histograms the workers recorded', async () => {
    const articles = await readArticles(ws.out);
    expect(articles.length).toBeGreaterThan(0);
    const duplicates = articles.filter((a) => a.dedupe.duplicateOf !== null).length;
    // Workers write their figures once a second (COPYDESK_STATS_FLUSH_MS): wait for the last write.
    let text = '';
    await waitFor('the workers to flush their figures', async () => {
      text = await (await fetch(`${url}/metrics`)).text();
      return value('copydesk_articles_stored_total') === articles.length;
    }, 10_000);
    function value(series: string) {
      const line = text.split('\n').find((l) => l.startsWith(`${series} `));
      return line === undefined ? undefined : Number(line.slice(series.length + 1));
    }
    expect(value('copydesk_articles_stored_total')).toBe(articles.length);
    expect(value('copydesk_articles_duplicate_total')).toBe(duplicates);
    expect(value('copydesk_failures_total{code="E_EMPTY_FILE"}')).toBe(1);
    expect(value('copydesk_queue_jobs{queue="intake",state="completed"}')).toBe(1);
    expect(value('copydesk_queue_jobs{queue="intake",state="failed"}')).toBe(1);
    // After intake, jobs carry batches: the sample's articles travel in one or a few store jobs.
    const storeJobs = value('copydesk_queue_jobs{queue="store",state="completed"}')!;
    expect(storeJobs).toBeGreaterThanOrEqual(1);
    expect(storeJobs).toBeLessThanOrEqual(articles.length);
    expect(value('copydesk_inbox_files{folder="done"}')).toBe(1);
    expect(value('copydesk_inbox_files{folder="failed"}')).toBe(1);
    expect(value('copydesk_inbox_files{folder="inbox"}')).toBe(0);
    expect(value('copydesk_stage_duration_seconds_count{stage="store"}')).toBe(storeJobs);
    for (const stage of STAGES) {
      const count = value(`copydesk_stage_duration_seconds_count{stage="${stage}"}`)!;
      expect(count, stage).toBeGreaterThan(0);
      expect(value(`copydesk_stage_duration_seconds_bucket{stage="${stage}",le="+Inf"}`), stage).toBe(count);
      expect(value(`copydesk_stage_duration_seconds_sum{stage="${stage}"}`), stage).toBeGreaterThan(0);
    }
    const status = await pipelineStatus({ config, queues, stats: new PipelineStats(connection, config) });
    expect(status.articles.stored).toBe(articles.length);
    expect(status.stages.find((s) => s.stage === 'store')!.p95Ms).toBeGreaterThan(0);
  });

  it('lists the real failure, and replays the failed file through the pipeline again', async () => {
    const report = JSON.parse(await readFile(path.join(ws.failed, 'empty.txt.error.json'), 'utf8')) as { code: string; sha256: string };
    const failed = await listFailed(queues);
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ stage: 'intake', jobId: report.sha256, file: 'empty.txt', code: report.code });
    expect(failed[0]!.code).toBe('E_EMPTY_FILE');

    const result = await replayFailedFiles(config, ['empty.txt'], { queues, redis: connection });
    expect(result.moved.map((m) => m.name)).toEqual(['empty.txt']);
    expect(await listDir(ws.failed)).toEqual([]);

    // Processed again: the counter of final failures moves to 2 and the file is back in failed/.
    await waitFor('the replayed file to fail again', async () => (await listDir(ws.failed)).includes('empty.txt.error.json'), 30_000);
    expect(await listDir(ws.done)).not.toContain('empty.txt');
    const status = (await (await fetch(`${url}/api/pipeline`)).json()) as { failuresByCode: Record<string, number> };
    expect(status.failuresByCode.E_EMPTY_FILE).toBe(2);
  });
});
