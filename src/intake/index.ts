/**
 * intake stage — input: a source file's bytes (whole, or as a byte stream); output: decoded
 * raw records, one per page / JSON record / WARC HTML response / feed item, plus a report of
 * the records that were skipped (counted by reason) or rejected (problems with their index).
 * Errors (all permanent CopydeskErrors): E_EMPTY_FILE, E_FILE_TOO_LARGE, E_UNSUPPORTED_FORMAT,
 * E_BAD_GZIP, E_DECOMPRESSED_TOO_LARGE, E_TOO_MANY_RECORDS, E_BAD_JSON, E_BAD_RECORD_LAYOUT,
 * E_BAD_WARC, E_BAD_FEED, E_INVALID_RECORD, E_TOO_DEEP — thrown when the file as a whole is
 * unusable; a bad record among good ones is a problem in the report, not an exception.
 *
 * Formats are detected by content first, extension second (detect.ts); encodings by BOM,
 * transport header, declaration, then detection (encoding.ts).
 */
import { badInput, ERROR_CODES } from '../errors.js';
import type { RawRecord, SourceFile } from '../schema/pipeline.js';
import { DEFAULT_INTAKE_LIMITS, emptyReport, type IntakeLimits, type IntakeReport, type IntakeResult } from './types.js';
import { detectFormat, isGzip } from './detect.js';
import { gunzipAll, gunzipChunks } from './gzip.js';
import { RecordCollector } from './collector.js';
import { openParser } from './parsers.js';
import { INTAKE_RULES } from './rules.js';

export { DEFAULT_INTAKE_LIMITS } from './types.js';
export type { IntakeLimits, IntakeProblem, IntakeReport, IntakeResult, IntakeFormat } from './types.js';
export { repairMojibake, repairMojibakeDetailed, looksLikeMojibake } from './mojibake.js';

/** Slice size for feeding a whole buffer to text parsers: bounds the size of intermediate strings. */
const SYNC_SLICE_BYTES = 1024 * 1024;

function checkFileSize(file: SourceFile, size: number, limits: IntakeLimits): void {
  if (size > limits.maxFileBytes) {
    throw badInput(ERROR_CODES.FILE_TOO_LARGE, `${file.name} is over ${limits.maxFileBytes} bytes (maxFileBytes)`, { limit: limits.maxFileBytes });
  }
}

function emptyFile(file: SourceFile): Error {
  return badInput(ERROR_CODES.EMPTY_FILE, `${file.name} is empty`);
}

/** Whole-buffer intake: the records, with problems and skip counts. */
export function intakeDetailed(file: SourceFile, bytes: Uint8Array, limits: IntakeLimits = DEFAULT_INTAKE_LIMITS): IntakeResult {
  if (bytes.length === 0) throw emptyFile(file);
  checkFileSize(file, bytes.length, limits);
  const report = emptyReport();
  let content = bytes;
  if (isGzip(bytes)) {
    report.gzip = true;
    content = gunzipAll(file.name, bytes, limits.maxDecompressedBytes);
    if (content.length === 0) throw emptyFile(file);
  }
  const head = content.subarray(0, INTAKE_RULES.sniffBytes);
  const format = detectFormat(file.name, head);
  report.format = format;
  const collector = new RecordCollector(file, limits, report);
  const parser = openParser({ format, file, limits, sink: collector, head, complete: true });
  const slice = format === 'warc' || format === 'text' || format === 'html' ? content.length : SYNC_SLICE_BYTES;
  for (let at = 0; at < content.length; at += slice) parser.push(content.subarray(at, at + slice));
  parser.end();
  collector.finish();
  return { ...report, records: collector.drain() };
}

/** Whole-buffer intake, the original entry point: just the records. */
export function intake(file: SourceFile, bytes: Uint8Array, limits: IntakeLimits = DEFAULT_INTAKE_LIMITS): RawRecord[] {
  return intakeDetailed(file, bytes, limits).records;
}

/** Records as they are read; `report` is complete once iteration has ended. */
export interface IntakeStream extends AsyncIterable<RawRecord> {
  readonly report: IntakeReport;
}

async function* countedBytes(file: SourceFile, input: AsyncIterable<Uint8Array>, limits: IntakeLimits): AsyncGenerator<Uint8Array> {
  let total = 0;
  for await (const chunk of input) {
    total += chunk.length;
    checkFileSize(file, total, limits);
    if (chunk.length) yield chunk;
  }
}

interface Peeked {
  head: Uint8Array;
  /** Every chunk after the head. */
  rest: AsyncIterable<Uint8Array>;
  /** The head is the whole stream. */
  complete: boolean;
}

async function peek(source: AsyncIterable<Uint8Array>, size: number): Promise<Peeked> {
  const iterator = source[Symbol.asyncIterator]();
  const parts: Uint8Array[] = [];
  let length = 0;
  let complete = false;
  while (length < size) {
    const next = await iterator.next();
    if (next.done) {
      complete = true;
      break;
    }
    parts.push(next.value);
    length += next.value.length;
  }
  const rest: AsyncIterable<Uint8Array> = {
    [Symbol.asyncIterator]: () => iterator,
  };
  return { head: parts.length === 1 ? parts[0]! : Buffer.concat(parts), rest, complete };
}

async function* prepend(head: Uint8Array, rest: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  yield head;
  yield* rest;
}

async function* streamRecords(file: SourceFile, input: AsyncIterable<Uint8Array>, limits: IntakeLimits, report: IntakeReport): AsyncGenerator<RawRecord> {
  let peeked = await peek(countedBytes(file, input, limits), INTAKE_RULES.sniffBytes);
  if (peeked.head.length === 0) throw emptyFile(file);
  if (isGzip(peeked.head)) {
    report.gzip = true;
    peeked = await peek(gunzipChunks(file.name, prepend(peeked.head, peeked.rest), limits.maxDecompressedBytes), INTAKE_RULES.sniffBytes);
    if (peeked.head.length === 0) throw emptyFile(file);
  }
  const { head, rest, complete } = peeked;
  const format = detectFormat(file.name, head);
  report.format = format;
  const collector = new RecordCollector(file, limits, report);
  const parser = openParser({ format, file, limits, sink: collector, head, complete });
  parser.push(head);
  yield* collector.drain();
  if (!complete) {
    for await (const chunk of rest) {
      parser.push(chunk);
      yield* collector.drain();
    }
  }
  parser.end();
  yield* collector.drain();
  collector.finish();
}

/**
 * Streaming intake over a byte iterable (e.g. fs.createReadStream): memory holds one chunk,
 * one record and the records not yet consumed, whatever the file size. Pure with respect to
 * the filesystem: the caller opens the file.
 */
export function intakeStream(file: SourceFile, input: AsyncIterable<Uint8Array>, limits: IntakeLimits = DEFAULT_INTAKE_LIMITS): IntakeStream {
  const report = emptyReport();
  const records = streamRecords(file, input, limits, report);
  return { report, [Symbol.asyncIterator]: () => records };
}
