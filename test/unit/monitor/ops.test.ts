/**
 * Operator actions on real failures: a BullMQ worker fails jobs the way the pipeline's
 * worker does ("E_CODE: message"); `failed` lists them, `retry` runs them again once the
 * cause is fixed, `pause`/`resume` hold a stage, `status` prints the table.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  formatStatusTable,
  listFailed,
  parseFailedReason,
  parseStage,
  pauseStage,
  pipelineStatus,
  resumeStage,
  retryJobs,
} from '../../../jobs/monitor/ops.js';
import { createFixture, fileData, waitFor, type Fixture } from './fixture.js';

describe('failed jobs: list and retry', () => {
  let fx: Fixture;
  let broken: boolean;

  beforeEach(async () => {
    fx = await createFixture();
    broken = true;
    const failIfBroken = async (job: { data: { fail?: boolean } }) => {
      if (broken && job.data.fail) throw new Error('E_STORE_UNAVAILABLE: connection refused by the store');
      return 'ok';
    };
    fx.work('store', failIfBroken);
    fx.work('classify', failIfBroken);
    await fx.queues.store.add('store', fileData('good.txt'), { jobId: 'good-1' });
    // A store job carries a batch of items, as the pipeline sends them after intake.
    const batch = { items: [fileData('news.txt'), fileData('wire.txt'), fileData('news.txt')], fail: true };
    await fx.queues.store.add('store', batch, { jobId: 'store-fail-1' });
    await fx.queues.classify.add('classify', { originalName: 'legacy.txt', fail: true }, { jobId: 'classify-fail-1' });
    await waitFor('three jobs settled', async () => {
      const [s, c] = await Promise.all([fx.queues.store.getJobCounts('completed', 'failed'), fx.queues.classify.getJobCounts('failed')]);
      return s.completed === 1 && s.failed === 1 && c.failed === 1;
    });
  });

  afterEach(async () => {
    await fx?.cleanup();
  });

  it('lists every failed job with its file, code and message', async () => {
    const failed = await listFailed(fx.queues);
    expect(failed).toHaveLength(2);
    const store = failed.find((f) => f.stage === 'store')!;
    expect(store).toMatchObject({
      jobId: 'store-fail-1',
      file: 'news.txt, wire.txt',
      code: 'E_STORE_UNAVAILABLE',
      message: 'connection refused by the store',
      attemptsMade: 1,
    });
    expect(Date.parse(store.failedAt!)).toBeGreaterThan(Date.now() - 60_000);
    expect(failed.find((f) => f.stage === 'classify')).toMatchObject({ jobId: 'classify-fail-1', file: 'legacy.txt' });
    expect((await listFailed(fx.queues, { stage: 'classify' })).map((f) => f.jobId)).toEqual(['classify-fail-1']);
  });

  it('retries one job by id after the cause is fixed', async () => {
    broken = false;
    expect(await retryJobs(fx.queues, { jobId: 'store-fail-1' })).toEqual([{ stage: 'store', jobId: 'store-fail-1' }]);
    await waitFor('the retried job to complete', async () => (await fx.queues.store.getJobState('store-fail-1')) === 'completed');
    expect((await listFailed(fx.queues)).map((f) => f.jobId)).toEqual(['classify-fail-1']);
    await expect(retryJobs(fx.queues, { jobId: 'no-such-job' })).rejects.toThrow(/no failed job with id no-such-job/);
    await expect(retryJobs(fx.queues, { jobId: 'good-1' })).rejects.toThrow(/no failed job/);
  });

  it('retries all failed jobs, or those of one stage', async () => {
    broken = false;
    expect(await retryJobs(fx.queues, { all: true, stage: 'classify' })).toEqual([{ stage: 'classify', jobId: 'classify-fail-1' }]);
    await waitFor('classify job done', async () => (await fx.queues.classify.getJobState('classify-fail-1')) === 'completed');
    expect(await fx.queues.store.getJobState('store-fail-1')).toBe('failed');
    expect(await retryJobs(fx.queues, { all: true })).toEqual([{ stage: 'store', jobId: 'store-fail-1' }]);
    await waitFor('store job done', async () => (await fx.queues.store.getJobState('store-fail-1')) === 'completed');
    expect(await listFailed(fx.queues)).toEqual([]);
  });
});

describe('pause, resume and the status table', () => {
  let fx: Fixture;

  beforeEach(async () => {
    fx = await createFixture();
  });

  afterEach(async () => {
    await fx?.cleanup();
  });

  it('holds a stage while paused and lets it run after resume', async () => {
    fx.work('split', async () => 'ok');
    await pauseStage(fx.queues, 'split');
    await fx.queues.split.add('split', fileData('held.txt'), { jobId: 'held-1' });
    await fx.stats.countMany('split', { processed: 7, dropped_too_short: 2 });
    await fx.stats.countMany('store', { stored: 5, duplicates: 2 });
    await new Promise((r) => setTimeout(r, 300));
    expect(await fx.queues.split.getJobState('held-1')).toBe('waiting');

    const status = await pipelineStatus({ config: fx.config, queues: fx.queues, stats: fx.stats });
    const table = formatStatusTable(status);
    const splitRow = table.split('\n').find((l) => l.startsWith('split'))!;
    expect(splitRow).toMatch(/^split \(paused\)\s+0\s+0\s+0\s+0\s+0\s+1\s+7\s/);
    expect(splitRow).toContain('too_short 2');
    expect(table).toMatch(/^stage\s+waiting\s+active\s+completed\s+failed\s+delayed\s+paused\s+processed/);
    expect(table).toContain('articles  stored 5  duplicates 2');
    expect(table).toContain('files     inbox 0  processing 0  done 0  failed 0');

    await resumeStage(fx.queues, 'split');
    await waitFor('the held job to run', async () => (await fx.queues.split.getJobState('held-1')) === 'completed');
  });
});

describe('oldest waiting job', () => {
  let fx: Fixture;

  beforeEach(async () => {
    fx = await createFixture();
  });

  afterEach(async () => {
    await fx?.cleanup();
  });

  it('is the age of the job that has waited longest, not the newest', async () => {
    await fx.queues.classify.add('classify', fileData('first.txt'));
    await new Promise((r) => setTimeout(r, 400));
    await fx.queues.classify.add('classify', fileData('second.txt'));
    const status = await pipelineStatus({ config: fx.config, queues: fx.queues, stats: fx.stats });
    const classify = status.stages.find((s) => s.stage === 'classify')!;
    expect(classify.jobs.waiting).toBe(2);
    expect(classify.oldestWaitingAgeMs).toBeGreaterThanOrEqual(400);
  });
});

describe('parsing', () => {
  it('reads the error code the worker puts in front of the message', () => {
    expect(parseFailedReason('E_BAD_JSON: unexpected token')).toEqual({ code: 'E_BAD_JSON', message: 'unexpected token' });
    expect(parseFailedReason('E_DECODE: line 1\nline 2')).toEqual({ code: 'E_DECODE', message: 'line 1\nline 2' });
    expect(parseFailedReason('job stalled more than allowable limit')).toEqual({ code: 'E_INTERNAL', message: 'job stalled more than allowable limit' });
    expect(parseFailedReason(undefined)).toEqual({ code: 'E_INTERNAL', message: '' });
  });

  it('accepts stage names and refuses others', () => {
    expect(parseStage('dedupe')).toBe('dedupe');
    expect(() => parseStage('publish')).toThrow(/unknown stage "publish"/);
  });
});
