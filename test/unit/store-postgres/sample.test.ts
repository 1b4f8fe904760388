import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { PostgresStore } from '../../../src/store/postgres.js';
import { createStages, processFileBytes } from '../../../src/pipeline.js';
import { MemoryDedupeIndex } from '../../../src/dedupe/memory-index.js';
import { sha256Hex } from '../../../src/ids.js';
import { loadConfig } from '../../../src/config.js';
import type { Article } from '../../../src/schema/article.js';
import type { Classification } from '../../../src/schema/pipeline.js';
import { intakeLimits } from '../../../jobs/runtime.js';
import { createTestDb, sql, type TestDb } from './test-db.js';

const SAMPLE = path.join(import.meta.dirname, '../../../samples/aggregator-dump.txt');

/**
 * What the store sees does not depend on the topic model, and this test must not break while
 * the classifier evolves: a fixed classification stands in for it.
 */
const fixedClassifier = (): Classification => ({
  language: { code: 'en', confidence: 1 },
  topics: [],
  places: [],
  people: [],
  organizations: [],
  needsReview: true,
});

/** The real intake, clean, split and dedupe stages over the real sample, as `copydesk process` runs them. */
async function processSample() {
  const bytes = await readFile(SAMPLE);
  const file = { name: 'aggregator-dump.txt', sha256: sha256Hex(bytes), size: bytes.length, capturedAt: '2025-06-09T08:31:00.000Z' };
  const stages = createStages({ limits: intakeLimits(loadConfig({})), pipelineVersion: 'test', classifier: fixedClassifier });
  return { file, ...(await processFileBytes(stages, file, bytes, new MemoryDedupeIndex())) };
}

describe('the sample through the PostgreSQL store', () => {
  let db: TestDb;
  let store: PostgresStore;

  beforeEach(async () => {
    db = await createTestDb();
    store = new PostgresStore({ connectionString: db.url });
    await store.init();
  });
  afterEach(async () => {
    await store.close();
    await db.drop();
  });

  it('stores every article once, however often the file is processed, and finds them by search', async () => {
    const first = await processSample();
    expect(first.articles.length).toBeGreaterThan(0);
    await store.upsert(first.articles);
    await store.putDropped(first.file, first.dropped);
    // A retried job or the same dump dropped again: the same ids, upserted.
    const again = await processSample();
    await store.upsert(again.articles);
    expect(await store.count()).toBe(first.articles.length);

    const exported: Article[] = [];
    for await (const a of store.all()) exported.push(a);
    expect(exported.map((a) => a.id).sort()).toEqual(first.articles.map((a) => a.id).sort());

    for (const article of first.articles) {
      const hits = await store.search(article.title, 3);
      expect(hits[0]?.id, article.title).toBe(article.id);
    }
    const rows = await sql<{ id: string; role: string; title: string; word_count: number }>(db.url, 'SELECT id, role, title, word_count FROM articles ORDER BY id');
    const expected = [...first.articles].sort((a, b) => (a.id < b.id ? -1 : 1));
    expect(rows).toEqual(expected.map((a) => ({ id: a.id, role: a.provenance.role, title: a.title, word_count: a.wordCount })));
    const [dropped] = await sql<{ n: string }>(db.url, 'SELECT count(*) AS n FROM dropped WHERE file_sha256 = $1', [first.file.sha256]);
    expect(Number(dropped!.n)).toBe(new Set(first.dropped.map((d) => `${d.stage}/${d.key}`)).size);
  });
});
