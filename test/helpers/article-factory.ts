/**
 * Valid article records for store tests, built by parsing with the real ArticleSchema so a
 * schema change breaks the factory loudly instead of the tests passing on stale shapes.
 */
import { createHash } from 'node:crypto';
import { ArticleSchema, SCHEMA_VERSION, type Article } from '../../src/schema/article.js';

const hex = (seed: string, length: number) => createHash('sha256').update(seed).digest('hex').slice(0, length);

export interface ArticleSeed {
  /** Distinguishes articles; the id and hashes derive from it unless given. */
  key: string;
  title?: string;
  body?: string;
  id?: string;
  clusterId?: string;
  duplicateOf?: string | null;
  publishedAt?: string | null;
  language?: string;
  source?: string | null;
  inboxFile?: string;
}

export function makeArticle(seed: ArticleSeed): Article {
  const body = seed.body ?? `Body of article ${seed.key}. It says something worth storing.`;
  const paragraphs = body.split(/\n{2,}/).filter((p) => p.trim());
  const id = seed.id ?? hex(`article:${seed.key}`, 24);
  return ArticleSchema.parse({
    schemaVersion: SCHEMA_VERSION,
    id,
    title: seed.title ?? `Article ${seed.key}`,
    byline: null,
    authors: [],
    source: seed.source === undefined ? 'Test Wire' : seed.source,
    originalSource: null,
    url: `https://example.test/${seed.key}`,
    canonicalUrl: null,
    publishedAt: seed.publishedAt === undefined ? '2025-06-09T07:54:00.000Z' : seed.publishedAt,
    publishedAtMethod: seed.publishedAt === null ? null : 'explicit',
    publishedAtRaw: null,
    capturedAt: '2025-06-09T08:31:00.000Z',
    language: seed.language ?? 'en',
    languageConfidence: 0.9,
    body,
    paragraphs,
    wordCount: body.split(/\s+/).filter(Boolean).length,
    captions: [],
    description: null,
    section: null,
    tags: [],
    leadImage: null,
    topics: [{ code: 'medtop:11000000', label: 'politics', score: 0.8, terms: ['defence'], level: 1 }],
    needsReview: false,
    places: [{ name: 'Japan', code: 'JP', mentions: 2 }],
    people: [{ name: 'Christopher Luxon', mentions: 1 }],
    organizations: [],
    dedupe: {
      contentHash: hex(`hash:${body}`, 32),
      clusterId: seed.clusterId ?? id,
      duplicateOf: seed.duplicateOf ?? null,
      similarity: seed.duplicateOf ? 1 : 0,
      method: seed.duplicateOf ? 'exact' : null,
    },
    provenance: {
      inboxFile: seed.inboxFile ?? 'dump.txt',
      inboxSha256: hex(`file:${seed.inboxFile ?? 'dump.txt'}`, 64),
      recordIndex: 0,
      recordId: null,
      articleKey: `0.${seed.key}`,
      role: 'main',
      parentId: null,
      pipelineVersion: 'test',
      notes: [],
    },
  });
}
