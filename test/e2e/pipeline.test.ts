/**
 * The whole path, as a person uses it: `copydesk start` on a private Redis, the sample
 * dropped into the inbox, four clean records in out/, the file in done/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { cleanupTestRedis, startTestRedis, type TestRedis } from '../helpers/redis-server.js';
import { runCli, spawnCli, waitFor, type CliProcess } from '../helpers/cli.js';
import { listDir, readArticles } from '../helpers/out.js';
import type { Article } from '../../src/schema/article.js';

const SAMPLE = path.join(import.meta.dirname, '../../samples/aggregator-dump.txt');
const TITLES = [
  'New Zealand looking at new ways to grow security ties with Japan, defense chief says',
  'US tariffs leave Indonesia drowning in Chinese imports',
  "Japan's Emperor Meets with Lithuanian President",
  'Can big stars bring higher-spending tourists back to Hong Kong?',
];
const CHROME = ['Hashtags', 'Try Our AI Features', 'Comments', 'Related Articles', 'Anthony Kwan / The New York Times'];

describe('copydesk start, end to end', () => {
  let redis: TestRedis;
  let dir: string;
  let cli: CliProcess;
  let inbox: string;
  let out: string;
  let first: Article[];

  beforeAll(async () => {
    redis = await startTestRedis();
    dir = await mkdtemp(path.join(os.tmpdir(), 'copydesk-e2e-'));
    inbox = path.join(dir, 'inbox');
    out = path.join(dir, 'out');
    cli = spawnCli(['start', '--inbox', inbox, '--out', out], {
      REDIS_URL: redis.url,
      COPYDESK_STABILITY_MS: '200',
      COPYDESK_STATE_DIR: path.join(dir, 'state'),
    });
    await waitFor('the watcher', async () => cli.output().includes('watching the inbox'), 30_000);
  });

  afterAll(async () => {
    cli?.child.kill('SIGKILL');
    if (redis) await cleanupTestRedis(redis);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('turns the sample into four clean records and moves it to done/', async () => {
    await copyFile(SAMPLE, path.join(inbox, 'dump.txt'));
    await waitFor('dump.txt in done/', async () => (await listDir(path.join(inbox, 'done'))).includes('dump.txt'), 30_000);
    first = await readArticles(out);
    expect(first.map((a) => a.title).sort()).toEqual([...TITLES].sort());
    const bySource = new Map(first.map((a) => [a.title, a.source]));
    expect(bySource.get(TITLES[1]!)).toBe('NHK');
    expect(bySource.get(TITLES[2]!)).toBe('Jiji Press');
    expect(bySource.get(TITLES[3]!)).toBe('Japan Times');
    for (const a of first) {
      for (const phrase of CHROME) expect(a.body, `${a.title} contains "${phrase}"`).not.toContain(phrase);
      expect(a.dedupe.duplicateOf).toBeNull();
      expect(a.provenance.inboxFile).toBe('dump.txt');
    }
    expect(await listDir(path.join(inbox, 'failed'))).toEqual([]);
  });

  it('processes the same bytes once, whatever the name', async () => {
    await copyFile(SAMPLE, path.join(inbox, 'again under another name.txt'));
    await waitFor('the copy in done/', async () => (await listDir(path.join(inbox, 'done'))).includes('again under another name.txt'), 30_000);
    expect((await readArticles(out)).length).toBe(4);
  });

  it('stores a whitespace-only variant as four duplicates of the first four', async () => {
    const text = await readFile(SAMPLE, 'utf8');
    const variant = text.replace(/\n/g, '  \n\n').replace(/\. /g, '.  ');
    await writeFile(path.join(inbox, 'variant.txt'), variant);
    await waitFor('variant.txt in done/', async () => (await listDir(path.join(inbox, 'done'))).includes('variant.txt'), 30_000);
    const all = await readArticles(out);
    expect(all.length).toBe(8);
    const canonicalIds = new Set(first.map((a) => a.id));
    const dups = all.filter((a) => !canonicalIds.has(a.id));
    expect(dups).toHaveLength(4);
    for (const d of dups) {
      expect(canonicalIds.has(d.dedupe.duplicateOf ?? '')).toBe(true);
      const canonical = first.find((a) => a.id === d.dedupe.duplicateOf)!;
      expect(d.title).toBe(canonical.title);
      expect(d.dedupe.clusterId).toBe(canonical.dedupe.clusterId);
    }
    // the store lists a story's copies, the canonical article first
    const main = first.find((a) => a.provenance.role === 'main')!;
    const cluster = runCli(['cluster', main.dedupe.clusterId, '--json', '--out', out], { REDIS_URL: redis.url });
    expect(cluster.status, cluster.stderr).toBe(0);
    const members = cluster.stdout.trim().split('\n').map((l) => JSON.parse(l) as { id: string; dedupe: { duplicateOf: string | null } });
    expect(members.map((m) => m.id)).toEqual([main.id, dups.find((d) => d.dedupe.duplicateOf === main.id)!.id]);
    expect(members[1]!.dedupe.duplicateOf).toBe(main.id);
  });

  it('shows the queues in `copydesk status --json`', () => {
    const r = runCli(['status', '--json', '--inbox', inbox], { REDIS_URL: redis.url });
    expect(r.status).toBe(0);
    const status = JSON.parse(r.stdout);
    const completed = Object.fromEntries(status.stages.map((s: { stage: string; jobs: { completed: number } }) => [s.stage, s.jobs.completed]));
    for (const stage of ['intake', 'clean', 'split', 'dedupe', 'classify', 'store']) expect(completed[stage], stage).toBeGreaterThan(0);
    expect(status.files.done).toBe(3);
    expect(status.articles.stored).toBe(8);
  });

  it('prints the same records with `copydesk process --stdout`, without Redis', async () => {
    const r = runCli(['process', SAMPLE, '--stdout'], { REDIS_URL: 'redis://127.0.0.1:1' });
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Article);
    // Same bytes, same ids: the file's sha256 and the article's text make the id.
    const viaPipeline = new Map(first.map((a) => [a.title, a.id]));
    expect(lines.map((a) => a.title).sort()).toEqual([...TITLES].sort());
    for (const a of lines) expect(a.id).toBe(viaPipeline.get(a.title));
  });

  it('stops cleanly on SIGTERM', async () => {
    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
    expect(cli.output()).toContain('stopped');
  });
});
