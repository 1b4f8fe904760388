import type { DedupeResult } from '../schema/pipeline.js';

/** What the index needs to know about an article to decide on it. */
export interface DedupeCandidate {
  articleId: string;
  contentHash: string;
  /** Normalized text, for near-duplicate fingerprints. */
  normalizedText: string;
}

/**
 * Decides, atomically, whether an article is the first of its story (canonical) or a copy.
 * Deciding twice for the same articleId returns the same answer (retries are safe).
 */
export interface DedupeIndex {
  decide(candidate: DedupeCandidate): Promise<DedupeResult>;
  close?(): Promise<void>;
}
