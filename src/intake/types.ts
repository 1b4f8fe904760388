/**
 * Shared intake types: limits, the per-file report (problems and skip counts), and the
 * record sink every format parser writes into. No I/O.
 */
import type { RawRecord } from '../schema/pipeline.js';
import type { ErrorCode } from '../errors.js';

export interface IntakeLimits {
  /** Bytes of the file as dropped (compressed size for .gz). */
  maxFileBytes: number;
  /** Bytes after gunzip: the gzip-bomb guard. */
  maxDecompressedBytes: number;
  maxRecordsPerFile: number;
  /** Characters of one record's content (a page, a row, a feed item). */
  maxArticleChars: number;
}

export const DEFAULT_INTAKE_LIMITS: IntakeLimits = Object.freeze({
  maxFileBytes: 2 * 1024 ** 3,
  maxDecompressedBytes: 4 * 1024 ** 3,
  maxRecordsPerFile: 1_000_000,
  maxArticleChars: 2_000_000,
});

export type IntakeFormat = 'text' | 'html' | 'json' | 'jsonl' | 'warc' | 'feed';

/** A record the file holds but intake could not turn into a RawRecord; the rest of the file still counts. */
export interface IntakeProblem {
  /** Position of the record in the file: JSON line number (0-based), array element, WARC record, feed item. */
  index: number;
  code: ErrorCode;
  message: string;
}

export interface IntakeReport {
  format: IntakeFormat | undefined;
  gzip: boolean;
  /** The character encoding the file (or, for WARC, its first HTML record) was read with, and why. */
  encoding: string | undefined;
  problems: IntakeProblem[];
  /** Records deliberately left out, by reason ("warc:request", "warc:non-html", "jsonl:blank-line"…). */
  skipped: Record<string, number>;
}

export interface IntakeResult extends IntakeReport {
  records: RawRecord[];
}

export function emptyReport(): IntakeReport {
  return { format: undefined, gzip: false, encoding: undefined, problems: [], skipped: {} };
}

/** Where format parsers put what they find; the driver drains `records` after each push. */
export interface RecordSink {
  /** A record without its `index`: the sink numbers records in file order. */
  record(record: Omit<RawRecord, 'index'>, position: number): void;
  problem(problem: IntakeProblem): void;
  skip(reason: string, count?: number): void;
  noteEncoding(encoding: string): void;
}

/** A push parser: the sync driver pushes the whole buffer once, the stream driver pushes chunks. */
export interface ChunkParser<T> {
  push(chunk: T): void;
  end(): void;
}
