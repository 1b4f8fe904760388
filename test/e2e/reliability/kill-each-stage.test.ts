/**
 * A worker SIGKILLed in the middle of a job of each stage in turn (intake, clean, split,
 * dedupe, classify, store), with the PostgreSQL store: the job is taken back by another
 * worker once its lock expires, every file ends in done/, every article the in-process run
 * (`copydesk process`) gives is in PostgreSQL exactly once, nothing else is, and every
 * canonical/duplicate label is the in-process one: a retried dedupe decision is the same.
 *
 * How a kill is made to land inside a job of a chosen stage, every time:
 * - one victim process per stage (`copydesk worker --stages <stage>`), each talking to Redis
 *   through its own TCP proxy; a `copydesk start` (watcher, every stage) is the survivor;
 * - after a first batch of files (the originals) is through, every queue is paused and a
 *   second batch (copies of some originals, and new stories) is dropped; then, stage by
 *   stage: the survivor is frozen (SIGSTOP), the stage's queue resumed, so that only its
 *   victim takes its jobs; once the victim has one active and more wait, its proxy stops
 *   passing Redis's replies (it stalls at its next round trip, mid-job: what it sent is done,
 *   what it was waiting for never comes), the job is checked to be active under the victim's
 *   name, and the victim is SIGKILLed. The survivor is thawed (SIGCONT), takes the job back
 *   when its lock expires (COPYDESK_LOCK_DURATION_MS=1000) and drains the stage.
 * Each copy in the second batch has exactly one earlier original, and no two second-batch
 * articles match each other, so the labels do not depend on the order articles reach dedupe.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Queue, type Job } from 'bullmq';
import { cleanupTestRedis, startTestRedis, type TestRedis } from '../../helpers/redis-server.js';
import { ROOT, spawnCli, waitFor, type CliProcess } from '../../helpers/cli.js';
import { listDir } from '../../helpers/out.js';
import { isAlive, makeWorkspace, NO_REDIS, settledFiles, sleep, waitForWatcher, type Workspace } from '../../helpers/pipeline-run.js';
import { createTestDb, sql, type TestDb } from '../../unit/store-postgres/test-db.js';
import { startTcpProxy, type TcpProxy } from '../../unit/store-postgres/tcp-proxy.js';
import { article, rng, type GeneratedArticle } from '../../bench/lib/corpus.js';
import { STAGES, type Stage } from '../../../src/config.js';
import type { Article } from '../../../src/schema/article.js';

const PREFIX = '{copydesk}';

const story = (i: number): GeneratedArticle => article(rng(7_000 + i), i);

/** The same story, its last paragraphs cut and a word changed: a near copy. */
function nearCopy(a: GeneratedArticle): GeneratedArticle {
  const keep = Math.max(3, Math.ceil(a.paragraphs.length * 0.75));
  return { title: a.title, paragraphs: a.paragraphs.slice(0, keep).map((p, n) => (n === 0 ? p.replace(/\bthe\b/, 'a') : p)) };
}

const row = (a: GeneratedArticle, id: string) => JSON.stringify({ id, url: `https://news.example/${id}`, title: a.title, text: a.paragraphs.join('\n\n'), source: 'Example Wire' });
const page = (a: GeneratedArticle) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${a.title} | Daily News</title></head><body>\n<main><article><h1>${a.title}</h1><p class="byline">By Staff Reporter</p>\n${a.paragraphs.map((p) => `<p>${p}</p>`).join('\n')}\n</article></main>\n<footer><p>© 2025 Daily News.</p></footer></body></html>\n`;
const dump = (a: GeneratedArticle) => `${a.title}\n\n${a.paragraphs.join('\n\n')}\n`;

/** Originals (batch 1) and copies + new stories (batch 2): file name → bytes. */
function corpus(): { first: Map<string, string>; second: Map<string, string> } {
  const first = new Map<string, string>();
  first.set('a-rows.jsonl', `${[0, 1, 2, 3, 4, 5, 6, 7].map((i) => row(story(i), `orig-${i}`)).join('\n')}\n`);
  for (const i of [8, 9, 10, 11]) first.set(`b-page-${i}.html`, page(story(i)));
  for (const i of [12, 13, 14, 15]) first.set(`c-dump-${i}.txt`, dump(story(i)));
  const second = new Map<string, string>();
  second.set('d-rows.jsonl', `${[row(story(0), 'copy-0'), row(story(8), 'copy-8'), row(nearCopy(story(12)), 'near-12'), ...[100, 101, 102].map((i) => row(story(i), `new-${i}`))].join('\n')}\n`);
  second.set('e-page-1.html', page(story(1)));
  second.set('e-page-9.html', page(nearCopy(story(9))));
  for (const i of [103, 104]) second.set(`e-page-${i}.html`, page(story(i)));
  second.set('f-dump-2.txt', dump(story(2)));
  second.set('f-dump-13.txt', dump(nearCopy(story(13))));
  for (const i of [105, 106]) second.set(`f-dump-${i}.txt`, dump(story(i)));
  return { first, second };
}

/** `copydesk process <paths> --stdout` without Redis, asynchronously (it runs while the pipeline starts). */
function processInProcess(paths: string[]): Promise<Article[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'jobs/cli.ts'), 'process', ...paths, '--stdout'], {
      cwd: ROOT,
      env: { ...process.env, LOG_LEVEL: 'warn', ...NO_REDIS },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`copydesk process exited ${code}: ${err}`));
      resolve(out.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Article));
    });
  });
}

const workerName = (cli: CliProcess) => `${os.hostname()}:${cli.child.pid}`;

async function counts(q: Queue): Promise<{ queued: number; active: number; failed: number; completed: number }> {
  // A paused queue's jobs count as waiting.
  const c = await q.getJobCounts('wait', 'prioritized', 'delayed', 'active', 'failed', 'completed', 'waiting-children');
  return { queued: c.wait! + c.prioritized! + c.delayed! + c['waiting-children']!, active: c.active!, failed: c.failed!, completed: c.completed! };
}

describe('SIGKILL a worker in the middle of each stage', () => {
  let redis: TestRedis;
  let db: TestDb;
  let ws: Workspace;
  const proxies = new Map<Stage, TcpProxy>();
  const procs: CliProcess[] = [];
  let queues: Map<Stage, Queue>;

  beforeAll(async () => {
    redis = await startTestRedis();
    db = await createTestDb();
    ws = await makeWorkspace('kill-each-stage');
    for (const stage of STAGES) proxies.set(stage, await startTcpProxy({ host: '127.0.0.1', port: redis.port }));
    const conn = redis.client();
    queues = new Map(STAGES.map((s) => [s, new Queue(s, { connection: conn, prefix: PREFIX })]));
  });

  afterAll(async () => {
    for (const p of procs) p.child.kill('SIGKILL');
    await Promise.all(procs.map((p) => p.exited));
    await Promise.all([...(queues?.values() ?? [])].map((q) => q.close()));
    await Promise.all([...proxies.values()].map((p) => p.close()));
    if (redis) await cleanupTestRedis(redis);
    await db?.drop();
    await ws?.remove();
  });

  it('takes every job back and stores every article once, labelled as in-process', { timeout: 150_000 }, async () => {
    const { first, second } = corpus();
    const dirs = { first: path.join(ws.staging, '1'), second: path.join(ws.staging, '2') };
    for (const [dir, files] of [[dirs.first, first], [dirs.second, second]] as const) {
      await mkdir(dir, { recursive: true });
      for (const [name, text] of files) await writeFile(path.join(dir, name), text);
    }
    const expectedRun = processInProcess([dirs.first, dirs.second]);

    const common = {
      COPYDESK_STORE: 'postgres',
      DATABASE_URL: db.url,
      COPYDESK_INBOX: ws.inbox,
      COPYDESK_OUT: ws.out,
      COPYDESK_STATE_DIR: ws.state,
      COPYDESK_LOCK_DURATION_MS: '1000',
      COPYDESK_STALLED_INTERVAL_MS: '1000',
      // One record or article per job: every stage has a queue of jobs to be killed in.
      COPYDESK_BATCH_ITEMS: '1',
      COPYDESK_BACKOFF_MS: '200',
      COPYDESK_STABILITY_MS: '100',
      COPYDESK_SUMMARY_INTERVAL_MS: '0',
    };
    const survivor = spawnCli(['start'], { ...common, REDIS_URL: redis.url });
    procs.push(survivor);
    const victims = new Map<Stage, CliProcess>();
    for (const stage of STAGES) {
      const env: Record<string, string> = { ...common, REDIS_URL: `redis://127.0.0.1:${proxies.get(stage)!.port}`, [`COPYDESK_CONCURRENCY_${stage.toUpperCase()}`]: '1' };
      // An intake job then waits a while for its batch of records to fill: a long mid-job window.
      if (stage === 'intake') env.COPYDESK_BATCH_LINGER_MS = '500';
      const victim = spawnCli(['worker', '--stages', stage], env);
      victims.set(stage, victim);
      procs.push(victim);
    }
    await waitForWatcher(survivor, 90_000);

    // Batch 1, the originals: through the whole pipeline (the victims help) before anything is killed.
    for (const [name, text] of first) await writeFile(path.join(ws.inbox, name), text);
    await waitFor('batch 1 in done/', async () => (await settledFiles(ws.done)).length === first.size, 60_000, 100);
    for (const [stage, v] of victims) await waitFor(`the ${stage} victim`, async () => v.output().includes('copydesk running') || !isAlive(v.child), 60_000);
    for (const [stage, v] of victims) expect(isAlive(v.child), `${stage} victim:\n${v.output().slice(-2000)}`).toBe(true);

    // Batch 2 waits in the paused intake queue.
    for (const q of queues.values()) await q.pause();
    for (const [name, text] of second) await writeFile(path.join(ws.inbox, name), text);
    await waitFor('batch 2 claimed', async () => (await counts(queues.get('intake')!)).queued === second.size, 30_000, 50);

    const recovered: Record<string, string> = {};
    for (const stage of STAGES) {
      const q = queues.get(stage)!;
      const victim = victims.get(stage)!;
      survivor.child.kill('SIGSTOP');
      await q.resume();
      // The victim's job, caught while more wait. A resume wakes one blocked worker; if that was
      // the frozen survivor, pause + resume wakes the victim.
      let poked = Date.now();
      await waitFor(
        `an active ${stage} job in the victim`,
        async () => {
          const active = (await q.getJobs(['active'])).filter((j) => j.processedBy === workerName(victim));
          if (active.length && (await counts(q)).queued > 0) return true;
          if (!active.length && Date.now() - poked > 300) {
            await q.pause();
            await q.resume();
            poked = Date.now();
          }
          return false;
        },
        20_000,
        5,
      );
      proxies.get(stage)!.holdReplies();
      await sleep(300);
      const orphans = (await q.getJobs(['active'])).filter((j) => j.processedBy === workerName(victim));
      expect(orphans.length, `${stage}: the victim holds a job`).toBeGreaterThan(0);
      victim.child.kill('SIGKILL');
      expect(await victim.exited).toBe('SIGKILL');
      const orphan = orphans[0]!;
      expect(await orphan.getState(), `${stage}: job ${orphan.id} left active by the dead worker`).toBe('active');

      survivor.child.kill('SIGCONT');
      await waitFor(
        `${stage} job ${orphan.id} taken back and the stage drained`,
        async () => (await (await q.getJob(orphan.id!))?.getState()) === 'completed' && (await counts(q)).queued + (await counts(q)).active === 0,
        30_000,
        100,
      ).catch((err: Error) => {
        throw new Error(`${err.message}\n${survivor.output().slice(-3000)}`);
      });
      const job = (await q.getJob(orphan.id!)) as Job;
      expect(job.processedBy, `${stage}: finished by the survivor`).toBe(workerName(survivor));
      recovered[stage] = String(orphan.id);
    }
    expect(Object.keys(recovered)).toEqual([...STAGES]);

    await waitFor('every file in done/', async () => (await settledFiles(ws.done)).length === first.size + second.size, 60_000, 100);
    expect(await listDir(ws.failed)).toEqual([]);
    expect(await listDir(ws.processing)).toEqual([]);
    for (const [stage, q] of queues) expect((await counts(q)).failed, `${stage}: failed jobs`).toBe(0);

    const expected = await expectedRun;
    const duplicates = expected.filter((a) => a.dedupe.duplicateOf !== null);
    // The copies of batch 2 (three exact, three near): the labels below are not all "canonical".
    expect(duplicates.length).toBeGreaterThanOrEqual(5);
    const rows = await sql<{ id: string; duplicate_of: string | null; cluster_id: string; method: string | null; n: string }>(
      db.url,
      `SELECT id, duplicate_of, cluster_id, record->'dedupe'->>'method' AS method, count(*) OVER () AS n FROM articles ORDER BY id`,
    );
    expect(rows.map((r) => r.id)).toEqual(expected.map((a) => a.id).sort());
    expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);
    const byId = new Map(expected.map((a) => [a.id, a]));
    for (const r of rows) {
      const want = byId.get(r.id)!.dedupe;
      expect({ id: r.id, duplicateOf: r.duplicate_of, clusterId: r.cluster_id, method: r.method }).toEqual({ id: r.id, duplicateOf: want.duplicateOf, clusterId: want.clusterId, method: want.method });
    }
  });
});
