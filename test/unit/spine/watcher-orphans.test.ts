/**
 * Regression: a watcher killed between registering a claimed file and adding its intake job
 * left the file in .processing/ for ever. A restarted watcher must queue it.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { randomBytes, createHash } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { loadConfig } from '../../../src/config.js';
import { startWatcher } from '../../../jobs/watcher.js';
import { bullPrefix, ownKey } from '../../../jobs/queues.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('watcher start-up', () => {
  let dir: string;
  let redis: Redis;
  let prefix: string;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'copydesk-orphans-'));
    redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    prefix = `test-orphans-${randomBytes(4).toString('hex')}`;
  });
  afterEach(async () => {
    const keys = await redis.keys(`{${prefix}}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    await rm(dir, { recursive: true, force: true });
  });

  it('queues a claimed file whose registration never got its intake job', async () => {
    const config = loadConfig({}, { prefix, inbox: path.join(dir, 'inbox') });
    await mkdir(config.processingDir, { recursive: true });
    const claimedPath = path.join(config.processingDir, 'abc123__story.txt');
    await writeFile(claimedPath, 'Title\nBody of the story.\n');
    const sha = createHash('sha256').update('Title\nBody of the story.\n').digest('hex');
    // What a watcher that died right after registering leaves behind:
    await redis.hset(ownKey(config, 'file', sha), 'claimedPath', claimedPath);

    const intakeQueue = new Queue('intake', { connection: redis, prefix: bullPrefix(config) });
    const watcher = await startWatcher({ config, redis, intakeQueue, logger: pino({ level: 'silent' }) });
    try {
      const job = await intakeQueue.getJob(sha);
      expect(job?.data.file).toMatchObject({ name: 'story.txt', claimedPath, sha256: sha });
    } finally {
      await watcher.close();
      await intakeQueue.close();
    }
  });
});
