import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PostgresStore } from '../../../src/store/postgres.js';
import type { Article } from '../../../src/schema/article.js';
import { CopydeskError, ERROR_CODES, isPermanent } from '../../../src/errors.js';
import { makeArticle } from '../../helpers/article-factory.js';
import { createTestDb, sql, type TestDb } from './test-db.js';

const sourceFile = {
  name: 'dump.txt',
  sha256: 'ab'.repeat(32),
  size: 1234,
  capturedAt: '2025-06-09T08:31:00.000Z',
};

async function collect(it: AsyncIterable<Article>): Promise<Article[]> {
  const out: Article[] = [];
  for await (const a of it) out.push(a);
  return out;
}

describe('PostgresStore', () => {
  let db: TestDb;
  let store: PostgresStore;

  beforeEach(async () => {
    db = await createTestDb();
    store = new PostgresStore({ connectionString: db.url, pageSize: 7 });
    await store.init();
  });
  afterEach(async () => {
    await store.close();
    await db.drop();
  });

  it('stores a record whole and fills the typed columns from it', async () => {
    const a = makeArticle({ key: 'nz-japan', title: 'New Zealand and Japan deepen defence ties', source: 'NHK' });
    await store.upsert([a]);
    expect(await store.get(a.id)).toEqual(a);
    expect(await store.get('0'.repeat(24))).toBeNull();
    const [row] = await sql(db.url, 'SELECT title, source, language, cluster_id, word_count, published_at, topics, places, role, inbox_sha256, schema_version FROM articles WHERE id = $1', [a.id]);
    expect(row).toEqual({
      title: a.title,
      source: 'NHK',
      language: a.language,
      cluster_id: a.dedupe.clusterId,
      word_count: a.wordCount,
      published_at: new Date(a.publishedAt!),
      topics: a.topics,
      places: a.places,
      role: a.provenance.role,
      inbox_sha256: a.provenance.inboxSha256,
      schema_version: a.schemaVersion,
    });
  });

  it('keeps one row when the same article is upserted by concurrent retries, with a consistent record', async () => {
    const versions = ['first', 'second', 'third'].map((v) => makeArticle({ key: 'retried', title: `Title ${v}` }));
    await Promise.all(versions.map((v) => store.upsert([v])));
    expect(await store.count()).toBe(1);
    const [row] = await sql<{ title: string; record: Article }>(db.url, 'SELECT title, record FROM articles');
    expect(versions.map((v) => v.title)).toContain(row!.title);
    expect(row!.record.title).toBe(row!.title);
  });

  it('updates a changed record in place, keeps stored_at, and leaves an identical retry untouched', async () => {
    const v1 = makeArticle({ key: 'changing', title: 'Before' });
    await store.upsert([v1]);
    const [before] = await sql<{ stored_at: Date; updated_at: Date }>(db.url, 'SELECT stored_at, updated_at FROM articles');
    await store.upsert([v1]);
    const [same] = await sql<{ updated_at: Date }>(db.url, 'SELECT updated_at FROM articles');
    expect(same!.updated_at).toEqual(before!.updated_at);

    const v2 = makeArticle({ key: 'changing', title: 'After' });
    await store.upsert([v2]);
    const [after] = await sql<{ title: string; stored_at: Date; updated_at: Date }>(db.url, 'SELECT title, stored_at, updated_at FROM articles');
    expect(after!.title).toBe('After');
    expect(after!.stored_at).toEqual(before!.stored_at);
    expect(after!.updated_at.getTime()).toBeGreaterThan(before!.updated_at.getTime());
    expect((await store.get(v1.id))!.title).toBe('After');
  });

  it('writes a large batch in one call, the last copy of a repeated id winning', async () => {
    const batch = Array.from({ length: 1500 }, (_, i) => makeArticle({ key: `bulk-${i}` }));
    const repeated = makeArticle({ key: 'bulk-3', title: 'Repeated later in the batch' });
    await store.upsert([...batch, repeated]);
    expect(await store.count()).toBe(1500);
    expect((await store.get(repeated.id))!.title).toBe('Repeated later in the batch');
  });

  it('rejects an invalid record before writing anything', async () => {
    const good = makeArticle({ key: 'good' });
    const bad = { ...makeArticle({ key: 'bad' }), wordCount: 0 };
    const err = await store.upsert([good, bad]).then(() => null, (e: unknown) => e);
    expect((err as CopydeskError).code).toBe(ERROR_CODES.INVALID_RECORD);
    expect((err as Error).message).toMatch(/wordCount/);
    expect(isPermanent(err)).toBe(true);
    expect(await store.count()).toBe(0);
  });

  it('refuses values PostgreSQL cannot hold as a permanent invalid record, writing nothing of the batch', async () => {
    const good = makeArticle({ key: 'fine' });
    for (const bad of [makeArticle({ key: 'nul', body: 'before\u0000after the NUL' }), makeArticle({ key: 'surrogate', title: 'lone \ud800 surrogate' })]) {
      const err = await store.upsert([good, bad]).then(() => null, (e: unknown) => e);
      expect(err).toBeInstanceOf(CopydeskError);
      expect((err as CopydeskError).code).toBe(ERROR_CODES.INVALID_RECORD);
      expect(isPermanent(err)).toBe(true);
    }
    expect(await store.count()).toBe(0);
  });

  it('exports every article exactly once through all(), across pages', async () => {
    const articles = Array.from({ length: 30 }, (_, i) => makeArticle({ key: `export-${i}` }));
    await store.upsert(articles);
    const exported = await collect(store.all());
    expect(exported.map((a) => a.id).sort()).toEqual(articles.map((a) => a.id).sort());
    expect(exported).toContainEqual(articles[17]);
  });

  it('searches title and body with web-search syntax, title hits ranked first', async () => {
    await store.upsert([
      makeArticle({ key: 's1', title: 'Weather report', body: 'A defence pact was mentioned in passing by the minister.' }),
      makeArticle({ key: 's2', title: 'Japan and New Zealand sign defence pact', body: 'The defence agreement covers joint exercises.' }),
      makeArticle({ key: 's3', title: 'Markets rally', body: 'Stocks rose on Tuesday.' }),
    ]);
    const hits = await store.search('defence pact', 10);
    expect(hits.map((h) => h.title)).toEqual(['Japan and New Zealand sign defence pact', 'Weather report']);
    // Stemming: "rallies" finds "rally"; exclusion and phrases follow websearch syntax.
    expect((await store.search('rallies', 10)).map((h) => h.title)).toEqual(['Markets rally']);
    expect((await store.search('defence -japan', 10)).map((h) => h.title)).toEqual(['Weather report']);
    expect((await store.search('"joint exercises"', 10)).map((h) => h.title)).toEqual(['Japan and New Zealand sign defence pact']);
    expect(await store.search('defence', 1)).toHaveLength(1);
    expect(await store.search('   ', 10)).toEqual([]);
  });

  it('lists a cluster canonical first', async () => {
    const canonical = makeArticle({ key: 'c0', clusterId: 'cluster-a' });
    const duplicate = makeArticle({ key: 'c1', clusterId: 'cluster-a', duplicateOf: canonical.id });
    const other = makeArticle({ key: 'c2', clusterId: 'cluster-b' });
    await store.upsert([duplicate, other]);
    await store.upsert([canonical]);
    const members = await store.clusterMembers('cluster-a');
    expect(members.map((m) => m.id)).toEqual([canonical.id, duplicate.id]);
    expect(await store.clusterMembers('cluster-none')).toEqual([]);
  });

  it('records what stages dropped, once per file, stage and key', async () => {
    const dropped = [
      { stage: 'split' as const, reason: 'too_short', key: '0.3', detail: '12 words', excerpt: 'Click here' },
      { stage: 'clean' as const, reason: 'empty_record', key: '4' },
    ];
    await store.putDropped(sourceFile, dropped);
    await store.putDropped(sourceFile, [{ ...dropped[0]!, detail: '11 words' }]);
    // Raw input with a NUL byte is still recorded, readable, rather than failing the file.
    await store.putDropped({ ...sourceFile, sha256: 'cd'.repeat(32) }, [{ stage: 'intake', reason: 'binary', key: '0', excerpt: 'PK\u0003\u0004\u0000\u0000' }]);
    const [binary] = await sql<{ excerpt: string }>(db.url, `SELECT excerpt FROM dropped WHERE reason = 'binary'`);
    expect(binary!.excerpt).toBe('PK\u0003\u0004\uFFFD\uFFFD');
    const rows = await sql(db.url, 'SELECT file_sha256, file_name, stage, reason, key, detail, excerpt FROM dropped WHERE file_sha256 = $1 ORDER BY stage', [sourceFile.sha256]);
    expect(rows).toEqual([
      { file_sha256: sourceFile.sha256, file_name: 'dump.txt', stage: 'clean', reason: 'empty_record', key: '4', detail: null, excerpt: null },
      { file_sha256: sourceFile.sha256, file_name: 'dump.txt', stage: 'split', reason: 'too_short', key: '0.3', detail: '11 words', excerpt: 'Click here' },
    ]);
  });
});
