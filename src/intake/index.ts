/**
 * intake stage — input: a source file's bytes; output: decoded raw records.
 * Errors: E_EMPTY_FILE, E_UNSUPPORTED_FORMAT, E_DECODE, E_FILE_TOO_LARGE (all permanent).
 *
 * First level: .txt/.md text dumps and .html pages, UTF-8 (BOM stripped).
 */
import { badInput, ERROR_CODES } from '../errors.js';
import type { RawRecord, SourceFile } from '../schema/pipeline.js';

export interface IntakeLimits {
  maxFileBytes: number;
  maxDecompressedBytes: number;
  maxRecordsPerFile: number;
  maxArticleChars: number;
}

export const DEFAULT_INTAKE_LIMITS: IntakeLimits = Object.freeze({
  maxFileBytes: 2 * 1024 ** 3,
  maxDecompressedBytes: 4 * 1024 ** 3,
  maxRecordsPerFile: 1_000_000,
  maxArticleChars: 2_000_000,
});

export function intake(file: SourceFile, bytes: Uint8Array, limits: IntakeLimits = DEFAULT_INTAKE_LIMITS): RawRecord[] {
  if (bytes.length === 0) throw badInput(ERROR_CODES.EMPTY_FILE, `${file.name} is empty`);
  if (bytes.length > limits.maxFileBytes) {
    throw badInput(ERROR_CODES.FILE_TOO_LARGE, `${file.name} is ${bytes.length} bytes, over the ${limits.maxFileBytes}-byte limit`);
  }
  const head = bytes.subarray(0, 4096);
  if (head.includes(0)) throw badInput(ERROR_CODES.UNSUPPORTED_FORMAT, `${file.name} is binary, not a text, HTML, JSON, WARC or feed file`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch (err) {
    throw badInput(ERROR_CODES.DECODE, `${file.name} is not valid UTF-8`, { cause: String(err) });
  }
  const kind = /^\s*(<!doctype html|<html|<head|<body)/i.test(text) || /\.(x?html?)$/i.test(file.name) ? 'html' : 'text';
  return [{ index: 0, origin: 'file', kind, content: text, hints: {} }];
}
