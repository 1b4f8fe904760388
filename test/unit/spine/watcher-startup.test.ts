/**
 * Regression: chokidar (the watcher's base before its own scan) only waited for writes to finish
 * after its initial scan, so a file being written while the watcher started was claimed at once,
 * half written (seen in CI under load). Files found at start-up must be taken only once they
 * hold still, and then be taken promptly. And a file dropped while the watcher runs is taken
 * as soon as it holds still: the file events wake the scan (its periodic pass is only a fallback).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile, mkdir, open, readdir, utimes } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { randomBytes, createHash } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { loadConfig } from '../../../src/config.js';
import { startWatcher } from '../../../jobs/watcher.js';
import { bullPrefix } from '../../../jobs/queues.js';
import { waitFor } from '../../helpers/cli.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const sha = (b: string | Buffer) => createHash('sha256').update(b).digest('hex');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('watcher: when a file is taken', () => {
  let dir: string;
  let redis: Redis;
  let prefix: string;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'copydesk-startup-'));
    redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    prefix = `test-startup-${randomBytes(4).toString('hex')}`;
  });
  afterEach(async () => {
    const keys = await redis.keys(`{${prefix}}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    await rm(dir, { recursive: true, force: true });
  });

  it('takes a finished file soon, and one still being written only after it holds still', { timeout: 30_000 }, async () => {
    const stabilityMs = 1000;
    const config = loadConfig({}, { prefix, inbox: path.join(dir, 'inbox'), stabilityMs });
    await mkdir(config.inbox, { recursive: true });
    const finished = 'Title\nA story that was dropped long ago.\n';
    await writeFile(path.join(config.inbox, 'old.txt'), finished);
    const longAgo = new Date(Date.now() - 3_600_000);
    await utimes(path.join(config.inbox, 'old.txt'), longAgo, longAgo);

    const chunks = Array.from({ length: 12 }, (_, i) => `Line ${i} of a story still arriving.\n`);
    const growing = await open(path.join(config.inbox, 'growing.txt'), 'w');
    await growing.write(`Title\n${chunks[0]}`);

    const intakeQueue = new Queue('intake', { connection: redis, prefix: bullPrefix(config) });
    const watcher = await startWatcher({ config, redis, intakeQueue, logger: pino({ level: 'silent' }) });
    try {
      // A write every 250 ms, well inside the 1 s stability window, for 3 s.
      for (const chunk of chunks.slice(1)) {
        await sleep(250);
        expect(await readdir(config.inbox), 'growing.txt was claimed while still being written').toContain('growing.txt');
        await growing.write(chunk);
      }
      await growing.close();
      expect(await intakeQueue.getJob(sha(finished)), 'the finished file is queued while the other is written').toBeDefined();

      const whole = `Title\n${chunks.join('')}`;
      const job = await waitFor('growing.txt queued whole', async () => intakeQueue.getJob(sha(whole)), 10_000);
      expect(job.data.file).toMatchObject({ name: 'growing.txt', size: Buffer.byteLength(whole) });
    } finally {
      await watcher.close();
      await intakeQueue.close();
    }
  });

  it('takes a file dropped while it runs soon after it holds still, woken by the file events rather than the 2 s scan', { timeout: 30_000 }, async () => {
    const stabilityMs = 300;
    const config = loadConfig({}, { prefix, inbox: path.join(dir, 'inbox'), stabilityMs });
    await mkdir(config.inbox, { recursive: true });
    const intakeQueue = new Queue('intake', { connection: redis, prefix: bullPrefix(config) });
    const watcher = await startWatcher({ config, redis, intakeQueue, logger: pino({ level: 'silent' }) });
    try {
      await sleep(2_500); // past the start-up scans: an idle inbox is scanned every 2 s
      const text = 'Title\nA story dropped while the watcher runs.\n';
      const dropped = Date.now();
      await writeFile(path.join(config.inbox, 'late.txt'), text);
      await waitFor('late.txt queued', async () => intakeQueue.getJob(sha(text)), 10_000, 20);
      // Without events the next periodic scan (at ~4 s) would be the first to see it, 1.5 s after it was dropped.
      expect(Date.now() - dropped).toBeLessThan(1_000);
      expect(Date.now() - dropped).toBeGreaterThanOrEqual(stabilityMs);
    } finally {
      await watcher.close();
      await intakeQueue.close();
    }
  });

  it('keeps taking files after the inbox folder is removed and made again under it', { timeout: 30_000 }, async () => {
    const config = loadConfig({}, { prefix, inbox: path.join(dir, 'inbox'), stabilityMs: 200 });
    await mkdir(config.inbox, { recursive: true });
    const intakeQueue = new Queue('intake', { connection: redis, prefix: bullPrefix(config) });
    const watcher = await startWatcher({ config, redis, intakeQueue, logger: pino({ level: 'silent' }) });
    try {
      await rm(config.inbox, { recursive: true });
      await mkdir(config.inbox);
      const text = 'Title\nA story dropped into the new inbox folder.\n';
      await writeFile(path.join(config.inbox, 'after.txt'), text);
      // The old folder's events end with it; the scans go on, and the claim makes .processing/ again.
      await waitFor('after.txt queued', async () => intakeQueue.getJob(sha(text)), 8_000);
      expect(await readdir(config.processingDir)).toHaveLength(1);
    } finally {
      await watcher.close();
      await intakeQueue.close();
    }
  });
});
