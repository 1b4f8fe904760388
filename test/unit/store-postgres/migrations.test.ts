import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import pg from 'pg';
import { PostgresStore, SEARCH_SQL } from '../../../src/store/postgres.js';
import { MIGRATIONS, migrate } from '../../../src/store/migrations.js';
import { createTestDb, sql, type TestDb } from './test-db.js';

describe('PostgresStore migrations', () => {
  let db: TestDb;
  const stores: PostgresStore[] = [];
  const open = () => {
    const s = new PostgresStore({ connectionString: db.url });
    stores.push(s);
    return s;
  };

  beforeEach(async () => {
    db = await createTestDb();
  });
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((s) => s.close()));
    await db.drop();
  });

  it('creates the tables, indexes and records each version once', async () => {
    await open().init();
    const tables = await sql<{ tablename: string }>(db.url, `SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`);
    expect(tables.map((t) => t.tablename)).toEqual(['articles', 'dropped', 'schema_migrations']);
    const indexes = (await sql<{ indexname: string }>(db.url, `SELECT indexname FROM pg_indexes WHERE tablename = 'articles'`)).map((r) => r.indexname);
    for (const column of ['cluster_id', 'published_at', 'language', 'topics', 'search']) {
      expect(indexes).toContain(`articles_${column}_idx`);
    }
    const versions = await sql<{ version: number }>(db.url, 'SELECT version FROM schema_migrations ORDER BY version');
    expect(versions.map((v) => v.version)).toEqual(MIGRATIONS.map((m) => m.version));
  });

  it('gives search a full-text index its query can use', async () => {
    await open().init();
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      // On an empty table the planner would scan anyway; forbid that to see whether the index fits.
      await client.query('SET enable_seqscan = off');
      const plan = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${SEARCH_SQL}`, ['defence pact', 10]);
      expect(plan.rows.map((r) => r['QUERY PLAN']).join('\n')).toMatch(/articles_search_idx/);
    } finally {
      await client.end();
    }
  });

  it('is idempotent: a second init applies nothing and fails on nothing', async () => {
    const store = open();
    await store.init();
    await store.init();
    await open().init();
    const rows = await sql<{ n: string }>(db.url, 'SELECT count(*) AS n FROM schema_migrations');
    expect(Number(rows[0]!.n)).toBe(MIGRATIONS.length);
  });

  it('lets several workers start at once: the advisory lock serializes them', async () => {
    await Promise.all([open().init(), open().init(), open().init()]);
    const rows = await sql<{ version: number; n: string }>(db.url, 'SELECT version, count(*) AS n FROM schema_migrations GROUP BY version');
    expect(rows).toHaveLength(MIGRATIONS.length);
    expect(rows.every((r) => Number(r.n) === 1)).toBe(true);
  });

  it('rolls a failing migration back whole and does not record it', async () => {
    await open().init();
    const broken = [
      ...MIGRATIONS,
      { version: 999, name: 'broken', sql: 'CREATE TABLE half_done (x int); SELECT no_such_function();' },
    ];
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      await expect(migrate(client, broken)).rejects.toThrow(/no_such_function/);
    } finally {
      await client.end();
    }
    expect(await sql(db.url, `SELECT 1 FROM pg_tables WHERE tablename = 'half_done'`)).toHaveLength(0);
    expect(await sql(db.url, 'SELECT 1 FROM schema_migrations WHERE version = 999')).toHaveLength(0);
    // The lock was released: a later start is not blocked.
    await open().init();
  });
});
