/**
 * Assembles and validates the output record. Input: the file, the identified draft, the
 * dedupe decision and the classification. Output: an Article. Errors: E_INVALID_RECORD
 * (permanent) when the result does not satisfy the output schema.
 */
import { ArticleSchema, SCHEMA_VERSION, type Article } from './schema/article.js';
import { articleId } from './ids.js';
import { contentHash } from './dedupe/normalize.js';
import { badInput, ERROR_CODES } from './errors.js';
import type { ArticleDraft, Classification, DedupeResult, IdentifiedDraft, SourceFile } from './schema/pipeline.js';

/** Gives every draft of a record its stable id, and related articles their parent's id. */
export function identifyDrafts(file: SourceFile, drafts: readonly ArticleDraft[]): IdentifiedDraft[] {
  const withIds = drafts.map((d) => {
    const hash = contentHash(d.paragraphs);
    return { ...d, contentHash: hash, id: articleId(file.sha256, d.key, hash), parentId: null as string | null };
  });
  const idByKey = new Map(withIds.map((d) => [d.key, d.id]));
  for (const d of withIds) d.parentId = d.parentKey ? (idByKey.get(d.parentKey) ?? null) : null;
  return withIds;
}

const countWords = (text: string): number => (text.match(/[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu) ?? []).length;

export function buildArticle(
  file: SourceFile,
  draft: IdentifiedDraft,
  dedupe: DedupeResult,
  classification: Classification,
  pipelineVersion: string,
): Article {
  const body = draft.paragraphs.join('\n\n');
  const candidate = {
    schemaVersion: SCHEMA_VERSION,
    id: draft.id,
    title: draft.title,
    byline: draft.authors.length ? draft.authors.join(', ') : null,
    authors: draft.authors,
    source: draft.source ?? null,
    originalSource: draft.originalSource ?? null,
    url: draft.url ?? null,
    canonicalUrl: draft.canonicalUrl ?? null,
    publishedAt: draft.published?.value ?? null,
    publishedAtMethod: draft.published?.method ?? null,
    publishedAtRaw: draft.published?.raw ?? null,
    capturedAt: draft.capturedAt,
    language: classification.language.code,
    languageConfidence: classification.language.confidence,
    body,
    paragraphs: draft.paragraphs,
    wordCount: countWords(body),
    captions: draft.captions,
    description: draft.description ?? null,
    section: draft.section ?? null,
    tags: draft.tags,
    leadImage: draft.leadImage ?? null,
    topics: classification.topics,
    needsReview: classification.needsReview,
    places: classification.places,
    people: classification.people,
    organizations: classification.organizations,
    dedupe,
    provenance: {
      inboxFile: file.name,
      inboxSha256: file.sha256,
      recordIndex: draft.recordIndex,
      recordId: draft.recordId ?? null,
      articleKey: draft.key,
      role: draft.role,
      parentId: draft.parentId,
      pipelineVersion,
      notes: draft.notes,
    },
  };
  const parsed = ArticleSchema.safeParse(candidate);
  if (!parsed.success) {
    throw badInput(ERROR_CODES.INVALID_RECORD, `article ${draft.id} does not satisfy the output schema: ${parsed.error.message}`, {
      issues: parsed.error.issues,
    });
  }
  return parsed.data;
}
