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
import { DEFAULT_INTAKE_LIMITS, emptyReport, type ChunkParser, type IntakeLimits, type IntakeReport, type IntakeResult } from './types.js';
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

/** What one step of parsing gives back: the records found, and the report once the parse has ended. */
export interface IntakeStep {
  records: RawRecord[];
  /** Set by the step that ended the parse. */
  report?: IntakeReport;
}

/**
 * The parsing half of streaming intake (format detection, decoding, the format's parser, the
 * per-record checks and repairs): every step synchronous and bounded by the bytes it is given.
 * Pure: no filesystem, no I/O.
 */
export class IntakeSession {
  readonly report: IntakeReport = emptyReport();
  private readonly collector: RecordCollector;
  private readonly parser: ChunkParser<Uint8Array>;
  private readonly complete: boolean;

  /** `head`: the first bytes (at least the sniff, or everything); `complete`: they are the whole content. */
  constructor(file: SourceFile, limits: IntakeLimits, head: Uint8Array, complete: boolean) {
    const format = detectFormat(file.name, head);
    this.report.format = format;
    this.complete = complete;
    this.collector = new RecordCollector(file, limits, this.report);
    this.parser = openParser({ format, file, limits, sink: this.collector, head, complete });
  }

  /** Parses the head; when it is the whole content, ends the parse too. */
  start(head: Uint8Array): IntakeStep {
    this.parser.push(head);
    return this.complete ? this.end() : { records: this.collector.drain() };
  }

  push(chunk: Uint8Array): RawRecord[] {
    this.parser.push(chunk);
    return this.collector.drain();
  }

  end(): IntakeStep {
    this.parser.end();
    const records = this.collector.drain();
    this.collector.finish();
    return { records, report: this.report };
  }
}

/**
 * Where the parsing steps of a streamed file run: in this thread (`inlineParse`), or in a
 * worker thread under a time budget (jobs/intake-pool.ts). The driver (`intakeStreamVia`)
 * reads, counts and gunzips the bytes and hands the steps over in order.
 */
export interface IntakeParse {
  /** Opens the parse on the head (format detection happens here); `complete`: the head is everything. */
  open(head: Uint8Array, complete: boolean): IntakeStep | Promise<IntakeStep>;
  push(chunk: Uint8Array): RawRecord[] | Promise<RawRecord[]>;
  end(): IntakeStep | Promise<IntakeStep>;
  /** Called once the driver is done with the parse, also when it stops early or fails. */
  close?(): void;
  /** Gather the stream's chunks up to this many bytes per push (fewer, larger steps). */
  pushBytes?: number;
}

/** Parsing in the calling thread. */
export function inlineParse(file: SourceFile, limits: IntakeLimits): IntakeParse {
  let session: IntakeSession | undefined;
  const opened = () => {
    if (!session) throw new Error('intake parse used before open()');
    return session;
  };
  return {
    open(head, complete) {
      session = new IntakeSession(file, limits, head, complete);
      return session.start(head);
    },
    push: (chunk) => opened().push(chunk),
    end: () => opened().end(),
  };
}

/** Chunks gathered into pieces of at least `bytes` (the last may be smaller). */
async function* gathered(input: AsyncIterable<Uint8Array>, bytes: number): AsyncGenerator<Uint8Array> {
  let parts: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of input) {
    parts.push(chunk);
    size += chunk.length;
    if (size >= bytes) {
      yield parts.length === 1 ? parts[0]! : Buffer.concat(parts);
      parts = [];
      size = 0;
    }
  }
  if (parts.length) yield parts.length === 1 ? parts[0]! : Buffer.concat(parts);
}

async function* streamRecords(file: SourceFile, input: AsyncIterable<Uint8Array>, limits: IntakeLimits, report: IntakeReport, parse: IntakeParse): AsyncGenerator<RawRecord> {
  try {
    let peeked = await peek(countedBytes(file, input, limits), INTAKE_RULES.sniffBytes);
    if (peeked.head.length === 0) throw emptyFile(file);
    if (isGzip(peeked.head)) {
      report.gzip = true;
      peeked = await peek(gunzipChunks(file.name, prepend(peeked.head, peeked.rest), limits.maxDecompressedBytes), INTAKE_RULES.sniffBytes);
      if (peeked.head.length === 0) throw emptyFile(file);
    }
    const { head, rest, complete } = peeked;
    let step = await parse.open(head, complete);
    yield* step.records;
    if (!step.report) {
      for await (const chunk of parse.pushBytes ? gathered(rest, parse.pushBytes) : rest) yield* await parse.push(chunk);
      step = await parse.end();
      yield* step.records;
    }
    const gzip = report.gzip;
    Object.assign(report, step.report, { gzip });
  } finally {
    parse.close?.();
  }
}

/**
 * Streaming intake with the parsing steps run by `parse` (e.g. in a worker thread): the same
 * records, report and errors as `intakeStream`.
 */
export function intakeStreamVia(file: SourceFile, input: AsyncIterable<Uint8Array>, limits: IntakeLimits, parse: IntakeParse): IntakeStream {
  const report = emptyReport();
  const records = streamRecords(file, input, limits, report, parse);
  return { report, [Symbol.asyncIterator]: () => records };
}

/**
 * Streaming intake over a byte iterable (e.g. fs.createReadStream): memory holds one chunk,
 * one record and the records not yet consumed, whatever the file size. Pure with respect to
 * the filesystem: the caller opens the file.
 */
export function intakeStream(file: SourceFile, input: AsyncIterable<Uint8Array>, limits: IntakeLimits = DEFAULT_INTAKE_LIMITS): IntakeStream {
  return intakeStreamVia(file, input, limits, inlineParse(file, limits));
}
