/**
 * The output contract: one normalized article record. Versioned; validated before every
 * write. Exported for users as `copydesk/schema`.
 */
import { z } from 'zod';
import {
  CaptionSchema,
  CutNoteSchema,
  NamedEntitySchema,
  PlaceSchema,
  PublishedAtMethodSchema,
  RoleSchema,
  TopicSchema,
} from './pipeline.js';

export const SCHEMA_VERSION = 1 as const;

export const ArticleSchema = z.object({
  schemaVersion: z.literal(SCHEMA_VERSION),
  id: z.string().regex(/^[0-9a-f]{24}$/),
  title: z.string().min(1),
  byline: z.string().nullable(),
  authors: z.array(z.string()),
  source: z.string().nullable(),
  originalSource: z.string().nullable(),
  url: z.string().nullable(),
  canonicalUrl: z.string().nullable(),
  publishedAt: z.string().datetime({ offset: true }).nullable(),
  publishedAtMethod: PublishedAtMethodSchema.nullable(),
  publishedAtRaw: z.string().nullable(),
  capturedAt: z.string().datetime({ offset: true }),
  language: z.string().regex(/^[a-z]{2}$|^und$/),
  languageConfidence: z.number().min(0).max(1),
  body: z.string().min(1),
  paragraphs: z.array(z.string().min(1)).min(1),
  wordCount: z.number().int().positive(),
  captions: z.array(CaptionSchema),
  description: z.string().nullable(),
  section: z.string().nullable(),
  tags: z.array(z.string()),
  leadImage: z.string().nullable(),
  topics: z.array(TopicSchema),
  needsReview: z.boolean(),
  places: z.array(PlaceSchema),
  people: z.array(NamedEntitySchema),
  organizations: z.array(NamedEntitySchema),
  dedupe: z.object({
    contentHash: z.string(),
    clusterId: z.string(),
    duplicateOf: z.string().nullable(),
    similarity: z.number().min(0).max(1),
    method: z.enum(['exact', 'near']).nullable(),
  }),
  provenance: z.object({
    inboxFile: z.string(),
    inboxSha256: z.string().regex(/^[0-9a-f]{64}$/),
    recordIndex: z.number().int().nonnegative(),
    recordId: z.string().nullable(),
    articleKey: z.string(),
    role: RoleSchema,
    parentId: z.string().nullable(),
    pipelineVersion: z.string(),
    notes: z.array(CutNoteSchema),
  }),
});

export type Article = z.infer<typeof ArticleSchema>;
