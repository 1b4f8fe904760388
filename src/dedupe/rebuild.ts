/** Reading a stored article back into what the index keeps about it. Pure, no errors. */
import type { DedupeResult } from '../schema/pipeline.js';
import type { RebuildArticle } from './index-types.js';
import { normalizeForHash } from './normalize.js';

export interface RebuildEntry {
  articleId: string;
  normalizedText: string;
  at: number | null;
  result: DedupeResult;
}

export function rebuildEntry(a: RebuildArticle): RebuildEntry {
  const paragraphs = a.paragraphs ?? (a.body ?? '').split(/\n\s*\n/);
  const at = a.capturedAt ? Date.parse(a.capturedAt) : NaN;
  return {
    articleId: a.id,
    normalizedText: normalizeForHash(paragraphs.join('\n')),
    at: Number.isFinite(at) ? at : null,
    result: {
      contentHash: a.dedupe.contentHash,
      clusterId: a.dedupe.clusterId,
      duplicateOf: a.dedupe.duplicateOf,
      similarity: a.dedupe.similarity ?? 1,
      method: a.dedupe.method ?? (a.dedupe.duplicateOf ? 'near' : null),
    },
  };
}
