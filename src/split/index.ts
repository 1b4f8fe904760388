/**
 * split stage — input: a cleaned record and its file; output: the articles in it.
 * Errors: none; records without an article are returned as drops with a reason.
 */
import type { Dropped } from '../stages/drop.js';
import type { ArticleDraft, CleanDoc, SourceFile } from '../schema/pipeline.js';

export interface SplitResult {
  drafts: ArticleDraft[];
  dropped: Dropped[];
}

export function split(doc: CleanDoc, file: SourceFile): SplitResult {
  const paragraphs = doc.blocks.filter((b) => b.type !== 'section').map((b) => b.text);
  const key = `${doc.recordIndex}.0`;
  if (paragraphs.length < 2) {
    return { drafts: [], dropped: [{ stage: 'split', reason: 'no_article', key }] };
  }
  const [title, ...body] = paragraphs;
  return {
    drafts: [
      {
        key,
        recordIndex: doc.recordIndex,
        recordId: doc.recordId,
        role: doc.origin === 'file' ? 'main' : 'record',
        title: title!,
        authors: doc.meta.authors,
        capturedAt: doc.hints.capturedAt ?? file.capturedAt,
        paragraphs: body,
        captions: doc.captions,
        tags: doc.meta.tags,
        notes: doc.notes,
      },
    ],
    dropped: [],
  };
}
