/**
 * `replay`: files go from failed/ back into the inbox, the pipeline forgets them (tracker
 * keys, their jobs in every stage) so the same bytes are processed again, and nothing in
 * the inbox is overwritten.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { replayFailedFiles } from '../../../jobs/monitor/replay.js';
import { hashFile } from '../../../jobs/inbox.js';
import { ownKey } from '../../../jobs/queues.js';
import { createFixture, fileData, touch, waitFor, type Fixture } from './fixture.js';

describe('replayFailedFiles', () => {
  let fx: Fixture;

  /** A file as the pipeline leaves it after a failure: in failed/ with its report, remembered in Redis. */
  async function failedFile(name: string, text: string, withReport = true): Promise<string> {
    const file = path.join(fx.config.failedDir, name);
    await touch(file, text);
    const { sha256 } = await hashFile(file);
    if (withReport) await writeFile(`${file}.error.json`, JSON.stringify({ file: name, sha256, code: 'E_BAD_JSON', message: 'broken', stage: 'intake', attempts: 1, time: new Date().toISOString() }));
    await fx.redis.hset(ownKey(fx.config, 'file', sha256), 'claimedPath', `/old/${name}`, 'state', 'finalized');
    await fx.redis.sadd(`${ownKey(fx.config, 'file', sha256)}:tokens`, 'intake');
    return sha256;
  }

  beforeEach(async () => {
    fx = await createFixture();
  });

  afterEach(async () => {
    await fx?.cleanup();
  });

  it('moves the named files back, forgets them, and never overwrites an inbox file', async () => {
    const sha = await failedFile('dump.json', '{"broken": ');
    await failedFile('other.txt', 'other bytes');
    await touch(path.join(fx.config.inbox, 'dump.json'), 'a different file already waiting');
    // The jobs the failed run left behind: they would swallow a re-submission with the same ids.
    fx.work('intake', async () => {
      throw new Error('E_BAD_JSON: broken');
    });
    fx.work('clean', async () => 'ok');
    await fx.queues.intake.add('intake', fileData('dump.json'), { jobId: sha });
    await fx.queues.clean.add('clean', fileData('dump.json'), { jobId: `${sha}.r0` });
    await waitFor('old jobs settled', async () => (await fx.queues.intake.getJobState(sha)) === 'failed' && (await fx.queues.clean.getJobState(`${sha}.r0`)) === 'completed');
    await fx.queues.clean.add('clean', fileData('unrelated.txt'), { jobId: `${'e'.repeat(64)}.r0` });

    const result = await replayFailedFiles(fx.config, ['dump.json', 'missing.txt'], { queues: fx.queues, redis: fx.redis });

    expect(result.missing).toEqual(['missing.txt']);
    expect(result.skipped).toEqual([]);
    expect(result.moved).toEqual([{ name: 'dump.json', to: path.join(fx.config.inbox, 'dump (1).json'), sha256: sha, jobsRemoved: 2 }]);
    expect((await readdir(fx.config.inbox, { withFileTypes: true })).filter((e) => e.isFile()).map((e) => e.name).sort()).toEqual(['dump (1).json', 'dump.json']);
    expect(await readFile(path.join(fx.config.inbox, 'dump (1).json'), 'utf8')).toBe('{"broken": ');
    expect(await readFile(path.join(fx.config.inbox, 'dump.json'), 'utf8')).toBe('a different file already waiting');
    expect((await readdir(fx.config.failedDir)).sort()).toEqual(['other.txt', 'other.txt.error.json']);
    expect(await fx.redis.exists(ownKey(fx.config, 'file', sha), `${ownKey(fx.config, 'file', sha)}:tokens`)).toBe(0);
    expect(await fx.queues.intake.getJobState(sha)).toBe('unknown');
    expect(await fx.queues.clean.getJobState(`${sha}.r0`)).toBe('unknown');
    expect(await fx.queues.clean.getJobState(`${'e'.repeat(64)}.r0`)).not.toBe('unknown');
  });

  it('replays everything in failed/, hashing files that lost their report', async () => {
    await failedFile('a.txt', 'aaa');
    const shaB = await failedFile('b.txt', 'bbb', false);
    await touch(path.join(fx.config.failedDir, '.hidden'), 'ignored');

    const result = await replayFailedFiles(fx.config, 'all', { queues: fx.queues, redis: fx.redis });

    expect(result.moved.map((m) => m.name)).toEqual(['a.txt', 'b.txt']);
    expect(result.moved[1]!.sha256).toBe(shaB);
    expect(await fx.redis.exists(ownKey(fx.config, 'file', shaB))).toBe(0);
    expect(await readdir(fx.config.failedDir)).toEqual(['.hidden']);
  });

  it('leaves a file whose job is still running where it is', async () => {
    const sha = await failedFile('busy.txt', 'busy');
    let release!: () => void;
    const running = new Promise<void>((r) => (release = r));
    fx.work('intake', () => running);
    await fx.queues.intake.add('intake', fileData('busy.txt'), { jobId: sha });
    await waitFor('the job to be active', async () => (await fx.queues.intake.getJobState(sha)) === 'active');

    try {
      const result = await replayFailedFiles(fx.config, ['busy.txt'], { queues: fx.queues, redis: fx.redis });

      expect(result.moved).toEqual([]);
      expect(result.skipped).toEqual([{ name: 'busy.txt', reason: `jobs still active: intake/${sha}` }]);
      expect((await readdir(fx.config.failedDir)).sort()).toEqual(['busy.txt', 'busy.txt.error.json']);
      expect(await fx.redis.exists(ownKey(fx.config, 'file', sha))).toBe(1);
    } finally {
      release();
    }
  });
});
