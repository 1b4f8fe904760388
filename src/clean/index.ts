/**
 * clean stage — input: a raw record; output: its text in reading order without page chrome,
 * with metadata, captions kept apart and a note for every cut.
 * Errors: none for well-formed records (an empty result is dropped by split, not thrown).
 *
 * HTML goes through the main-content extractor; text dumps through the text cleaner.
 */
import type { CleanDoc, RawRecord } from '../schema/pipeline.js';
import { extractHtml } from './html/index.js';
import { cleanText } from './text/index.js';

export function clean(record: RawRecord): CleanDoc {
  const extracted = record.kind === 'html' ? extractHtml(record.content) : cleanText(record.content);
  return {
    recordIndex: record.index,
    recordId: record.recordId,
    origin: record.origin,
    kind: record.kind,
    hints: record.hints,
    ...extracted,
  };
}
