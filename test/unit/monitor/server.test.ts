/**
 * The monitor server against real Redis and real BullMQ jobs: a worker completes some
 * jobs and fails one; /api/pipeline, /metrics, /overview, /healthz and /readyz report it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { createMonitorServer, type MonitorServer } from '../../../jobs/monitor/server.js';
import type { PipelineStatus } from '../../../jobs/monitor/status.js';
import { createFixture, fileData, touch, waitFor, type Fixture } from './fixture.js';

const OBSERVED_MS = [3, 40, 40, 700];

describe('monitor server', () => {
  let fx: Fixture;
  let server: MonitorServer;
  let url: string;

  beforeAll(async () => {
    fx = await createFixture();
    fx.work('clean', async (job) => {
      if (job.data.fail) throw new Error('E_BAD_JSON: unexpected token } at 1:17');
      return 'ok';
    });
    await fx.queues.clean.addBulk([
      { name: 'clean', data: fileData('a.txt') },
      { name: 'clean', data: fileData('b.txt') },
      { name: 'clean', data: fileData('broken.json', { fail: true }), opts: { jobId: 'broken-1' } },
    ]);
    await waitFor('clean jobs to settle', async () => {
      const c = await fx.queues.clean.getJobCounts('completed', 'failed');
      return c.completed === 2 && c.failed === 1;
    });
    // What the processors record (jobs/stats.ts), with known timings so the histogram is checkable.
    for (const ms of OBSERVED_MS) await fx.stats.observe('split', ms);
    await fx.stats.countMany('split', { processed: 4, dropped_too_short: 2, dropped_no_body: 1 });
    await fx.stats.countMany('store', { processed: 3, stored: 3, duplicates: 1 });
    await fx.stats.countMany('pipeline', { failed_E_BAD_JSON: 1 });
    await fx.stats.count('clean', 'failed');
    await fx.queues.dedupe.add('dedupe', fileData('waiting.txt'));
    await touch(path.join(fx.config.inbox, 'new-1.txt'));
    await touch(path.join(fx.config.inbox, 'new-2.txt'));
    await touch(path.join(fx.config.failedDir, 'bad.bin'));
    await touch(path.join(fx.config.failedDir, 'bad.bin.error.json'), '{}');
    await touch(path.join(fx.config.doneDir, 'ok.txt'));
    server = createMonitorServer({ config: fx.config, redis: fx.redis, queues: fx.queues, stats: fx.stats, logger: fx.logger });
    url = (await server.listen(0, '127.0.0.1')).url;
  });

  afterAll(async () => {
    await server?.close();
    await fx?.cleanup();
  });

  it('serves the pipeline overview as JSON', async () => {
    const res = await fetch(`${url}/api/pipeline`);
    expect(res.status).toBe(200);
    const status = (await res.json()) as PipelineStatus;
    const stage = (name: string) => status.stages.find((s) => s.stage === name)!;
    expect(status.stages.map((s) => s.stage)).toEqual(['intake', 'clean', 'split', 'dedupe', 'classify', 'store']);
    expect(stage('clean').jobs).toMatchObject({ completed: 2, failed: 1, waiting: 0, active: 0 });
    expect(stage('clean').failed).toBe(1);
    expect(stage('dedupe').jobs.waiting).toBe(1);
    expect(stage('dedupe').oldestWaitingAgeMs).toBeGreaterThanOrEqual(0);
    expect(stage('clean').oldestWaitingAgeMs).toBeNull();
    expect(stage('split').processed).toBe(4);
    expect(stage('split').dropped).toEqual({ too_short: 2, no_body: 1 });
    expect(stage('split').p50Ms).toBe(40);
    expect(stage('split').p95Ms).toBe(700);
    expect(stage('split').histogram.count).toBe(OBSERVED_MS.length);
    expect(status.files).toEqual({ inbox: 2, processing: 0, done: 1, failed: 1 });
    expect(status.articles).toEqual({ stored: 3, duplicates: 1 });
    expect(status.failuresByCode).toEqual({ E_BAD_JSON: 1 });
  });

  it('exposes Prometheus metrics built from the Redis counters and buckets', async () => {
    const res = await fetch(`${url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    const value = (series: string) => {
      const line = text.split('\n').find((l) => l.startsWith(`${series} `));
      return line === undefined ? undefined : Number(line.slice(series.length + 1));
    };
    expect(value('copydesk_queue_jobs{queue="clean",state="completed"}')).toBe(2);
    expect(value('copydesk_queue_jobs{queue="clean",state="failed"}')).toBe(1);
    expect(value('copydesk_queue_jobs{queue="dedupe",state="waiting"}')).toBe(1);
    expect(value('copydesk_articles_stored_total')).toBe(3);
    expect(value('copydesk_articles_duplicate_total')).toBe(1);
    expect(value('copydesk_dropped_total{stage="split",reason="too_short"}')).toBe(2);
    expect(value('copydesk_failures_total{code="E_BAD_JSON"}')).toBe(1);
    expect(value('copydesk_inbox_files{folder="inbox"}')).toBe(2);
    expect(value('copydesk_inbox_files{folder="failed"}')).toBe(1);
    expect(value('copydesk_processed_total{stage="split"}')).toBe(4);
    expect(value('copydesk_oldest_waiting_seconds{queue="clean"}')).toBe(0);
    expect(value('copydesk_oldest_waiting_seconds{queue="dedupe"}')).toBeGreaterThan(0);
    expect(text).toContain('# TYPE copydesk_stage_duration_seconds histogram');
    // Cumulative buckets in seconds: 3 ms ≤ 5 ms; 40 ms twice ≤ 50 ms; 700 ms ≤ 1 s.
    expect(value('copydesk_stage_duration_seconds_bucket{stage="split",le="0.005"}')).toBe(1);
    expect(value('copydesk_stage_duration_seconds_bucket{stage="split",le="0.025"}')).toBe(1);
    expect(value('copydesk_stage_duration_seconds_bucket{stage="split",le="0.05"}')).toBe(3);
    expect(value('copydesk_stage_duration_seconds_bucket{stage="split",le="0.5"}')).toBe(3);
    expect(value('copydesk_stage_duration_seconds_bucket{stage="split",le="1"}')).toBe(4);
    expect(value('copydesk_stage_duration_seconds_bucket{stage="split",le="+Inf"}')).toBe(4);
    expect(value('copydesk_stage_duration_seconds_sum{stage="split"}')).toBeCloseTo(0.783, 6);
    expect(value('copydesk_stage_duration_seconds_count{stage="split"}')).toBe(4);
    expect(value('copydesk_stage_duration_seconds_count{stage="intake"}')).toBe(0);
  });

  it('renders the overview page with every stage and a link back to the dashboard', async () => {
    const res = await fetch(`${url}/overview`);
    expect(res.status).toBe(200);
    const html = await res.text();
    for (const stage of ['intake', 'clean', 'split', 'dedupe', 'classify', 'store']) expect(html).toContain(`data-stage="${stage}"`);
    expect(html).toContain('http-equiv="refresh"');
    expect(html).toContain('too_short 2, no_body 1');
    expect(html).toContain('E_BAD_JSON 1');
  });

  it('links the overview from the bull-board page', async () => {
    const res = await fetch(`${url}/`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('"miscLinks":[{"text":"Pipeline overview","url":"/overview"}]');
    const queues = (await (await fetch(`${url}/api/queues`)).json()) as { queues: { name: string }[] };
    expect(queues.queues.map((q) => q.name).sort()).toEqual(['classify', 'clean', 'dedupe', 'intake', 'split', 'store']);
  });

  it('lets the dashboard pause and resume a stage when not read-only', async () => {
    expect((await fetch(`${url}/api/queues/classify/pause`, { method: 'PUT' })).status).toBe(200);
    expect(await fx.queues.classify.isPaused()).toBe(true);
    expect((await fetch(`${url}/api/queues/classify/resume`, { method: 'PUT' })).status).toBe(200);
    expect(await fx.queues.classify.isPaused()).toBe(false);
  });

  it('answers /healthz, and /readyz until a stage has no worker or stalls', async () => {
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    // dedupe has a waiting job and no worker at all.
    const unattended = await fetch(`${url}/readyz`);
    expect(unattended.status).toBe(503);
    expect(await unattended.json()).toMatchObject({ ready: false, redis: 'up', unattended: ['dedupe'], stalled: [] });

    // A worker that takes nothing (paused here; wedged in real life): waiting grows, nothing is active.
    const wedged = fx.work('dedupe', async () => 'never');
    await wedged.pause(true);
    await waitFor('the worker to be registered', async () => (await fx.queues.dedupe.getWorkersCount()) === 1);
    const first = await fetch(`${url}/readyz`);
    expect(first.status).toBe(200);
    await fx.queues.dedupe.add('dedupe', fileData('more.txt'));
    const stalled = await fetch(`${url}/readyz`);
    expect(stalled.status).toBe(503);
    expect(await stalled.json()).toMatchObject({ ready: false, redis: 'up', stalled: ['dedupe'], unattended: [] });

    // A paused stage is held on purpose, not stalled.
    await fx.queues.dedupe.pause();
    await fx.queues.dedupe.add('dedupe', fileData('even-more.txt'));
    const paused = await fetch(`${url}/readyz`);
    expect(await paused.json()).toMatchObject({ ready: true, stalled: [], unattended: [] });
    const status = (await (await fetch(`${url}/api/pipeline`)).json()) as PipelineStatus;
    const dedupe = status.stages.find((s) => s.stage === 'dedupe')!;
    expect(dedupe.isPaused).toBe(true);
    expect(dedupe.workers).toBe(1);
    expect(dedupe.jobs).toMatchObject({ waiting: 0, paused: 3 });
  });
});
