/**
 * JSON document reader, a push parser over decoded text. A top-level array is split into
 * its elements as the text arrives (a 2 GB array never sits in memory whole); any other
 * document (one record, or a wrapper such as {"items": [...]}) is buffered up to
 * `maxDocumentChars` and parsed at the end.
 * Input: text chunks. Output: json-record records into the sink; elements that are not
 * valid JSON or fit no layout become problems with their element index.
 * Errors: E_BAD_JSON thrown for a non-array document that does not parse or is too large.
 */
import { badInput, ERROR_CODES } from '../errors.js';
import type { ChunkParser, RecordSink } from './types.js';
import { mapJsonRecord, recordsOfDocument } from './json-record.js';

export interface JsonDocumentOptions {
  sink: RecordSink;
  fileName: string;
  /** Longest single array element, and longest non-array document, held in memory. */
  maxElementChars: number;
  maxDocumentChars: number;
}

const OPEN = new Set(['{', '[']);
const CLOSE = new Set(['}', ']']);

export function createJsonDocumentParser({ sink, fileName, maxElementChars, maxDocumentChars }: JsonDocumentOptions): ChunkParser<string> {
  let mode: 'start' | 'array' | 'document' | 'after-array' = 'start';
  let parts: string[] = [];
  let partsLength = 0;
  let oversized = false;
  let depth = 0; // inside the top-level array: 0 between elements
  let inString = false;
  let escaped = false;
  let element = 0;
  let trailingGarbage = false;

  function keep(piece: string): void {
    if (oversized || !piece) return;
    const limit = mode === 'document' ? maxDocumentChars : maxElementChars;
    if (partsLength + piece.length > limit) {
      if (mode === 'document') throw badInput(ERROR_CODES.BAD_JSON, `${fileName}: the JSON document is over ${limit} characters and is not an array; write it as JSON lines or a top-level array`);
      oversized = true;
      parts = [];
      partsLength = 0;
      return;
    }
    parts.push(piece);
    partsLength += piece.length;
  }

  function emit(value: unknown, index: number): void {
    const mapped = mapJsonRecord(value);
    if (mapped.ok) sink.record(mapped.record, index);
    else sink.problem({ index, code: mapped.code, message: `element ${index}: ${mapped.message}` });
  }

  function finishElement(): void {
    const index = element++;
    const text = parts.join('').trim();
    parts = [];
    partsLength = 0;
    if (oversized) {
      oversized = false;
      return sink.problem({ index, code: ERROR_CODES.INVALID_RECORD, message: `element ${index} is longer than ${maxElementChars} characters; skipped` });
    }
    if (!text) return;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      return sink.problem({ index, code: ERROR_CODES.BAD_JSON, message: `element ${index} is not valid JSON: ${err instanceof Error ? err.message : String(err)}` });
    }
    emit(value, index);
  }

  function scanArray(text: string): void {
    let from = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text[i]!;
      if (mode === 'after-array') {
        if (!/\s/.test(c)) trailingGarbage = true;
        continue;
      }
      if (inString) {
        if (escaped) escaped = false;
        else if (c === '\\') escaped = true;
        else if (c === '"') inString = false;
        continue;
      }
      if (c === '"') inString = true;
      else if (OPEN.has(c)) depth++;
      else if (CLOSE.has(c)) {
        if (depth === 0) {
          // The closing bracket of the top-level array.
          keep(text.slice(from, i));
          finishElement();
          mode = 'after-array';
          from = i + 1;
          continue;
        }
        depth--;
      } else if (c === ',' && depth === 0) {
        keep(text.slice(from, i));
        finishElement();
        from = i + 1;
      }
    }
    if (mode === 'array') keep(text.slice(from));
  }

  return {
    push(text: string): void {
      if (mode === 'start') {
        const trimmed = text.replace(/^[\s\uFEFF]+/, '');
        if (!trimmed) return;
        if (trimmed.startsWith('[')) {
          mode = 'array';
          return scanArray(trimmed.slice(1));
        }
        mode = 'document';
        return keep(trimmed);
      }
      if (mode === 'document') return keep(text);
      scanArray(text);
    },
    end(): void {
      if (mode === 'start') throw badInput(ERROR_CODES.EMPTY_FILE, `${fileName} holds only white space`);
      if (mode === 'array') {
        sink.problem({ index: element, code: ERROR_CODES.BAD_JSON, message: `the JSON array is not closed (the file may be truncated); element ${element} and later are missing` });
        return;
      }
      if (trailingGarbage) sink.problem({ index: element, code: ERROR_CODES.BAD_JSON, message: 'text after the end of the JSON array was ignored' });
      if (mode !== 'document') return;
      let doc: unknown;
      try {
        doc = JSON.parse(parts.join(''));
      } catch (err) {
        throw badInput(ERROR_CODES.BAD_JSON, `${fileName} is not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
      }
      parts = [];
      const records = recordsOfDocument(doc);
      if (!records) throw badInput(ERROR_CODES.BAD_RECORD_LAYOUT, `${fileName} holds a JSON ${doc === null ? 'null' : typeof doc}, not records`);
      records.forEach((value, index) => emit(value, index));
    },
  };
}
