/**
 * JSON lines reader, a push parser over decoded text: one crawler record per line.
 * Input: text chunks. Output: json-record records into the sink. A line that is not JSON,
 * or does not fit a record layout, or is longer than `maxLineChars` (skipped without being
 * buffered) becomes a problem with its line number; the other lines still count.
 * Errors: none thrown here (the collector decides when a file with no good line fails).
 */
import { ERROR_CODES } from '../errors.js';
import type { ChunkParser, RecordSink } from './types.js';
import { mapJsonRecord } from './json-record.js';

export interface JsonLinesOptions {
  sink: RecordSink;
  maxLineChars: number;
}

export function createJsonLinesParser({ sink, maxLineChars }: JsonLinesOptions): ChunkParser<string> {
  let partial: string[] = [];
  let partialLength = 0;
  let oversized = false;
  let line = 0;

  function handleLine(text: string): void {
    const current = line++;
    if (oversized) {
      oversized = false;
      sink.problem({ index: current, code: ERROR_CODES.INVALID_RECORD, message: `line ${current + 1} is longer than ${maxLineChars} characters; skipped` });
      return;
    }
    const trimmed = text.trim();
    if (!trimmed) return sink.skip('jsonl:blank-line');
    let value: unknown;
    try {
      value = JSON.parse(trimmed);
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      return sink.problem({ index: current, code: ERROR_CODES.BAD_JSON, message: `line ${current + 1} is not valid JSON: ${reason}` });
    }
    const mapped = mapJsonRecord(value);
    if (mapped.ok) sink.record(mapped.record, current);
    else sink.problem({ index: current, code: mapped.code, message: `line ${current + 1}: ${mapped.message}` });
  }

  function append(piece: string): void {
    if (oversized) return;
    if (partialLength + piece.length > maxLineChars) {
      oversized = true;
      partial = [];
      partialLength = 0;
      return;
    }
    partial.push(piece);
    partialLength += piece.length;
  }

  return {
    push(text: string): void {
      let start = 0;
      for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
        append(text.slice(start, nl));
        const whole = partial.join('');
        partial = [];
        partialLength = 0;
        handleLine(whole);
        start = nl + 1;
      }
      if (start < text.length) append(text.slice(start));
    },
    end(): void {
      if (partialLength > 0 || oversized) {
        const whole = partial.join('');
        partial = [];
        partialLength = 0;
        handleLine(whole);
      }
    },
  };
}
