/**
 * Normalization for hashing: the same story re-typed, re-wrapped or re-quoted must hash the
 * same. Case, punctuation, quotes, dashes, digits and whitespace are folded.
 */
import { sha256Hex } from '../ids.js';

export function normalizeForHash(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\u2018\u2019\u201a\u201b\u2032'`´]/g, '')
    .replace(/[\u201c\u201d\u201e\u201f\u2033"]/g, '')
    .replace(/\d+/g, '0')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** 64-bit hex hash of the normalized body. */
export function contentHash(paragraphs: readonly string[]): string {
  return sha256Hex(normalizeForHash(paragraphs.join('\n'))).slice(0, 16);
}
