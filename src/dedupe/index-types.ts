import type { DedupeResult } from '../schema/pipeline.js';

/** What the index needs to know about an article to decide on it. */
export interface DedupeCandidate {
  articleId: string;
  contentHash: string;
  /** Normalized text, for near-duplicate fingerprints. */
  normalizedText: string;
}

/** A stored article, as `copydesk dedupe rebuild` reads it back from the output store. */
export interface RebuildArticle {
  id: string;
  /** When it entered the index; entries outside the window are skipped. Default: now. */
  capturedAt?: string;
  dedupe: Pick<DedupeResult, 'contentHash' | 'clusterId' | 'duplicateOf'> & Partial<Pick<DedupeResult, 'similarity' | 'method'>>;
  paragraphs?: readonly string[];
  /** Used when `paragraphs` is absent: paragraphs separated by a blank line. */
  body?: string;
}

export interface RebuildReport {
  inserted: number;
  /** Already in the index (a rebuild over a live index only fills what is missing). */
  present: number;
  /** Older than the window. */
  expired: number;
}

/**
 * Decides, atomically, whether an article is the first of its story (canonical) or a copy.
 * Deciding twice for the same articleId returns the same answer (retries are safe).
 */
export interface DedupeIndex {
  decide(candidate: DedupeCandidate): Promise<DedupeResult>;
  /** Refills the index from stored decisions, without deciding again. */
  rebuild?(articles: AsyncIterable<RebuildArticle> | Iterable<RebuildArticle>): Promise<RebuildReport>;
  close?(): Promise<void>;
}
