/**
 * The documents that flow between stages. Each is a zod schema because each crosses a
 * queue boundary as JSON; the stage functions take and return the inferred types.
 */
import { z } from 'zod';

const isoDate = z.string().datetime({ offset: true });

/** The inbox file an article came from. */
export const SourceFileSchema = z.object({
  name: z.string().min(1),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  size: z.number().int().nonnegative(),
  /** When the dump was captured: the file's mtime unless a record says otherwise. */
  capturedAt: isoDate,
});
export type SourceFile = z.infer<typeof SourceFileSchema>;

/** What a record itself says about its article, before any cleaning. */
export const RecordHintsSchema = z.object({
  url: z.string().optional(),
  title: z.string().optional(),
  publishedAt: z.string().optional(),
  source: z.string().optional(),
  authors: z.array(z.string()).optional(),
  capturedAt: isoDate.optional(),
  language: z.string().optional(),
});
export type RecordHints = z.infer<typeof RecordHintsSchema>;

export const RecordKindSchema = z.enum(['text', 'html']);
export type RecordKind = z.infer<typeof RecordKindSchema>;

export const RecordOriginSchema = z.enum(['file', 'json-record', 'warc-record', 'feed-item']);
export type RecordOrigin = z.infer<typeof RecordOriginSchema>;

/** intake → clean: one decoded record of a file (a page, a JSONL row, a WARC response, a feed item). */
export const RawRecordSchema = z.object({
  index: z.number().int().nonnegative(),
  recordId: z.string().optional(),
  origin: RecordOriginSchema,
  kind: RecordKindSchema,
  content: z.string(),
  hints: RecordHintsSchema,
});
export type RawRecord = z.infer<typeof RawRecordSchema>;

/** Why something was cut: the copy desk can explain every cut. */
export const CutNoteSchema = z.object({
  stage: z.string(),
  rule: z.string(),
  text: z.string().optional(),
});
export type CutNote = z.infer<typeof CutNoteSchema>;

export const BlockTypeSchema = z.enum(['paragraph', 'heading', 'list-item', 'quote', 'table', 'section']);
export const BlockSchema = z.object({
  type: BlockTypeSchema,
  text: z.string(),
  /** For `section` blocks: what the section holds (e.g. "related"). */
  section: z.string().optional(),
  level: z.number().int().optional(),
});
export type Block = z.infer<typeof BlockSchema>;

export const CaptionSchema = z.object({
  text: z.string(),
  credit: z.string().optional(),
  /** Index of the CleanDoc block the caption was found in or after, so split can give it to the right article. */
  block: z.number().int().nonnegative().optional(),
});
export type Caption = z.infer<typeof CaptionSchema>;

export const PageMetaSchema = z.object({
  title: z.string().optional(),
  authors: z.array(z.string()).default([]),
  publishedAt: z.string().optional(),
  modifiedAt: z.string().optional(),
  siteName: z.string().optional(),
  canonicalUrl: z.string().optional(),
  language: z.string().optional(),
  description: z.string().optional(),
  section: z.string().optional(),
  tags: z.array(z.string()).default([]),
  leadImage: z.string().optional(),
});
export type PageMeta = z.infer<typeof PageMetaSchema>;

/** clean → split: the record's text without chrome, in reading order, with its metadata. */
export const CleanDocSchema = z.object({
  recordIndex: z.number().int().nonnegative(),
  recordId: z.string().optional(),
  origin: RecordOriginSchema,
  kind: RecordKindSchema,
  hints: RecordHintsSchema,
  meta: PageMetaSchema,
  blocks: z.array(BlockSchema),
  captions: z.array(CaptionSchema),
  notes: z.array(CutNoteSchema),
});
export type CleanDoc = z.infer<typeof CleanDocSchema>;

export const RoleSchema = z.enum(['main', 'related', 'feed-item', 'record']);
export type Role = z.infer<typeof RoleSchema>;

export const PublishedAtMethodSchema = z.enum(['explicit', 'metadata', 'dateline', 'relative']);
export const PublishedSchema = z.object({
  value: isoDate,
  method: PublishedAtMethodSchema,
  /** The words it was read from ("37 minutes ago", "Jun 9, 2025 16:54 (JST)"). */
  raw: z.string().optional(),
});
export type Published = z.infer<typeof PublishedSchema>;

/** split → dedupe: one article, before dedupe and classification. */
export const ArticleDraftSchema = z.object({
  /** Unique inside the file: "<recordIndex>.<articleIndex>". */
  key: z.string(),
  recordIndex: z.number().int().nonnegative(),
  recordId: z.string().optional(),
  role: RoleSchema,
  parentKey: z.string().optional(),
  title: z.string(),
  authors: z.array(z.string()),
  source: z.string().optional(),
  originalSource: z.string().optional(),
  url: z.string().optional(),
  canonicalUrl: z.string().optional(),
  published: PublishedSchema.optional(),
  capturedAt: isoDate,
  language: z.string().optional(),
  paragraphs: z.array(z.string()),
  captions: z.array(CaptionSchema),
  description: z.string().optional(),
  section: z.string().optional(),
  tags: z.array(z.string()).default([]),
  leadImage: z.string().optional(),
  notes: z.array(CutNoteSchema),
});
export type ArticleDraft = z.infer<typeof ArticleDraftSchema>;

export const DedupeResultSchema = z.object({
  contentHash: z.string(),
  clusterId: z.string(),
  duplicateOf: z.string().nullable(),
  similarity: z.number().min(0).max(1),
  method: z.enum(['exact', 'near']).nullable(),
});
export type DedupeResult = z.infer<typeof DedupeResultSchema>;

export const TopicSchema = z.object({
  code: z.string().regex(/^medtop:\d{8}$/),
  label: z.string(),
  score: z.number().min(0).max(1),
  /** The terms that weighed most for this topic. */
  terms: z.array(z.string()).default([]),
  level: z.number().int().min(1).max(2).default(1),
});
export type Topic = z.infer<typeof TopicSchema>;

export const PlaceSchema = z.object({ name: z.string(), code: z.string().regex(/^[A-Z]{2}$/), mentions: z.number().int().positive() });
export const NamedEntitySchema = z.object({ name: z.string(), mentions: z.number().int().positive() });

export const ClassificationSchema = z.object({
  language: z.object({ code: z.string(), confidence: z.number().min(0).max(1) }),
  topics: z.array(TopicSchema),
  places: z.array(PlaceSchema),
  people: z.array(NamedEntitySchema),
  organizations: z.array(NamedEntitySchema),
  needsReview: z.boolean(),
});
export type Classification = z.infer<typeof ClassificationSchema>;

/** An article draft with its stable id, as it travels split → dedupe → classify → store. */
export const IdentifiedDraftSchema = ArticleDraftSchema.extend({
  id: z.string(),
  contentHash: z.string(),
  parentId: z.string().nullable(),
});
export type IdentifiedDraft = z.infer<typeof IdentifiedDraftSchema>;
