/**
 * Regression: a job whose payload failed its schema was failed without settling the items it
 * named, so their files waited in .processing/ for ever. Now the items are settled as failed
 * (E_BAD_PAYLOAD) and a file with nothing else to wait for moves to failed/ with its report.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile, mkdir, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { randomBytes, createHash } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { loadConfig } from '../../../src/config.js';
import { bullPrefix } from '../../../jobs/queues.js';
import { FileTracker } from '../../../jobs/tracker.js';
import { spawnCli, waitFor, type CliProcess } from '../../helpers/cli.js';
import { listDir } from '../../helpers/out.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('a batch job with a bad payload', () => {
  let dir: string;
  let redis: Redis;
  let prefix: string;
  let cli: CliProcess | undefined;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'copydesk-badpayload-'));
    redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    prefix = `test-badpayload-${randomBytes(4).toString('hex')}`;
  });
  afterEach(async () => {
    cli?.child.kill('SIGKILL');
    await cli?.exited;
    const keys = await redis.keys(`{${prefix}}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    await rm(dir, { recursive: true, force: true });
  });

  it('fails the items it names, so their file leaves .processing with a report', { timeout: 60_000 }, async () => {
    const config = loadConfig({}, { prefix, inbox: path.join(dir, 'inbox'), out: path.join(dir, 'out') });
    await mkdir(config.processingDir, { recursive: true });
    const bytes = 'Title\nBody of the story.\n';
    const claimedPath = path.join(config.processingDir, 'abc123__story.txt');
    await writeFile(claimedPath, bytes);
    const sha = createHash('sha256').update(bytes).digest('hex');
    const file = { name: 'story.txt', sha256: sha, size: bytes.length, capturedAt: new Date().toISOString(), claimedPath };
    // The file is in flight with one record pending, whose clean job carries a broken record.
    await new FileTracker(redis, config).open(sha, file.name, 1);
    const clean = new Queue('clean', { connection: redis, prefix: bullPrefix(config) });
    await clean.add('clean', { items: [{ file, record: { index: 0, content: 42 } }] }, { jobId: 'broken' });
    await clean.close();

    cli = spawnCli(['worker', '--stages', 'clean'], { REDIS_URL, COPYDESK_PREFIX: prefix, COPYDESK_INBOX: config.inbox, COPYDESK_OUT: config.out });
    await waitFor('the file in failed/', async () => (await listDir(config.failedDir)).includes('story.txt.error.json'), 30_000).catch((err: Error) => {
      throw new Error(`${err.message}\n${cli!.output().slice(-2000)}`);
    });
    const report = JSON.parse(await readFile(path.join(config.failedDir, 'story.txt.error.json'), 'utf8')) as { code: string; stage: string };
    expect(report).toMatchObject({ code: 'E_BAD_PAYLOAD', stage: 'clean' });
    expect(await listDir(config.processingDir)).toEqual([]);
  });
});
