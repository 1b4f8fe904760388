/**
 * classify stage — input: an article's title and paragraphs; output: language, IPTC Media
 * Topics, places, people and organisations.
 * Errors: none.
 */
import type { Classification } from '../schema/pipeline.js';

export interface ClassifyInput {
  title: string;
  paragraphs: readonly string[];
  languageHint?: string;
}

export function classify(_input: ClassifyInput): Classification {
  return {
    language: { code: 'en', confidence: 0 },
    topics: [],
    places: [],
    people: [],
    organizations: [],
    needsReview: true,
  };
}
