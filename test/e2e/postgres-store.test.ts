/**
 * The sample through `copydesk start` with the PostgreSQL store (COPYDESK_STORE=postgres):
 * four rows in `articles`, each once, found by `copydesk search` and written by
 * `copydesk export`, on the real server (127.0.0.1:5432 or DATABASE_URL).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { cleanupTestRedis, startTestRedis, type TestRedis } from '../helpers/redis-server.js';
import { runCli, spawnCli, waitFor, type CliProcess } from '../helpers/cli.js';
import { listDir } from '../helpers/out.js';
import { createTestDb, sql, type TestDb } from '../unit/store-postgres/test-db.js';

const SAMPLE = path.join(import.meta.dirname, '../../samples/aggregator-dump.txt');

describe('copydesk start with the PostgreSQL store', () => {
  let redis: TestRedis;
  let db: TestDb;
  let dir: string;
  let cli: CliProcess;
  let env: Record<string, string>;

  beforeAll(async () => {
    redis = await startTestRedis();
    db = await createTestDb();
    dir = await mkdtemp(path.join(os.tmpdir(), 'copydesk-e2e-pg-'));
    env = { REDIS_URL: redis.url, COPYDESK_STORE: 'postgres', DATABASE_URL: db.url, COPYDESK_STABILITY_MS: '200', COPYDESK_STATE_DIR: path.join(dir, 'state') };
    cli = spawnCli(['start', '--inbox', path.join(dir, 'inbox'), '--out', path.join(dir, 'out')], env);
    await waitFor('the watcher', async () => cli.output().includes('watching the inbox'), 30_000);
  });

  afterAll(async () => {
    cli?.child.kill('SIGKILL');
    await cli?.exited;
    if (redis) await cleanupTestRedis(redis);
    await db?.drop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('stores the sample once per article, and search and export read it back', { timeout: 90_000 }, async () => {
    const inbox = path.join(dir, 'inbox');
    await copyFile(SAMPLE, path.join(inbox, 'dump.txt'));
    await waitFor('dump.txt in done/', async () => (await listDir(path.join(inbox, 'done'))).includes('dump.txt'), 45_000).catch((err: Error) => {
      throw new Error(`${err.message}\n${cli.output().slice(-3000)}`);
    });
    const rows = await sql<{ id: string; title: string; source: string | null; inbox_file: string }>(db.url, 'SELECT id, title, source, inbox_file FROM articles ORDER BY title');
    expect(rows).toHaveLength(4);
    expect(new Set(rows.map((r) => r.id)).size).toBe(4);
    expect(rows.map((r) => r.source)).toContain('Jiji Press');
    expect(rows.every((r) => r.inbox_file === 'dump.txt')).toBe(true);
    // Nothing went to the file store.
    expect(await listDir(path.join(dir, 'out'))).not.toContain('articles');

    const search = runCli(['search', 'Lithuanian', '--json'], env);
    expect(search.status, search.stderr).toBe(0);
    expect(search.stdout).toContain("Japan's Emperor Meets with Lithuanian President");

    const exported = path.join(dir, 'export.jsonl');
    const exp = runCli(['export', '--output', exported], env);
    expect(exp.status, exp.stderr).toBe(0);
    const lines = (await readFile(exported, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { id: string });
    expect(lines.map((a) => a.id).sort()).toEqual(rows.map((r) => r.id).sort());
  });
});
