/** Text-dump cleaning (first level: one block per non-empty line). */
import type { Extracted } from '../types.js';

export function cleanText(text: string): Extracted {
  const blocks = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)
    .map((t) => ({ type: 'paragraph' as const, text: t }));
  return { meta: { authors: [], tags: [] }, blocks, captions: [], notes: [] };
}
