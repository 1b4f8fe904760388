/**
 * The record sink every format parser writes into: numbers records in file order, applies
 * the per-record limits (characters, HTML depth), repairs mojibake, and keeps the report.
 * Input: records and problems from a parser. Output: RawRecords drained in batches.
 * Errors: E_TOO_MANY_RECORDS past maxRecordsPerFile; `finish()` throws the first problem
 * when the file gave no record at all but had problems (a file of only bad records fails
 * as a whole; a file with some good records passes with its problems listed).
 */
import { badInput, CopydeskError, ERROR_CODES } from '../errors.js';
import type { RawRecord, SourceFile } from '../schema/pipeline.js';
import type { IntakeLimits, IntakeProblem, IntakeReport, RecordSink } from './types.js';
import { htmlDepth } from './html-depth.js';
import { looksLikeMojibake, repairMojibake } from './mojibake.js';
import { INTAKE_RULES } from './rules.js';

/** Problems kept in the report; past this they are only counted (a 2 GB file of bad lines must not fill memory). */
export const MAX_LISTED_PROBLEMS = 1000;

export class RecordCollector implements RecordSink {
  private pending: RawRecord[] = [];
  private produced = 0;

  constructor(
    private readonly file: SourceFile,
    private readonly limits: IntakeLimits,
    readonly report: IntakeReport,
  ) {}

  get recordCount(): number {
    return this.produced;
  }

  record(record: Omit<RawRecord, 'index'>, position: number): void {
    if (record.content.length > this.limits.maxArticleChars) {
      return this.problem({
        index: position,
        code: ERROR_CODES.INVALID_RECORD,
        message: `record ${position} has ${record.content.length} characters, over the ${this.limits.maxArticleChars}-character limit (maxArticleChars); skipped`,
      });
    }
    if (record.kind === 'html') {
      const depth = htmlDepth(record.content, INTAKE_RULES.maxHtmlDepth);
      if (depth >= INTAKE_RULES.maxHtmlDepth) {
        return this.problem({ index: position, code: ERROR_CODES.TOO_DEEP, message: `record ${position} nests HTML elements ${INTAKE_RULES.maxHtmlDepth}+ deep; skipped` });
      }
    }
    if (this.produced >= this.limits.maxRecordsPerFile) {
      throw badInput(ERROR_CODES.TOO_MANY_RECORDS, `${this.file.name} holds more than ${this.limits.maxRecordsPerFile} records (maxRecordsPerFile)`, { limit: this.limits.maxRecordsPerFile });
    }
    const content = looksLikeMojibake(record.content) ? repairMojibake(record.content) : record.content;
    const hints = { ...record.hints };
    if (hints.title && looksLikeMojibake(hints.title)) hints.title = repairMojibake(hints.title);
    this.pending.push({ ...record, index: this.produced++, content, hints });
  }

  problem(problem: IntakeProblem): void {
    if (this.report.problems.length < MAX_LISTED_PROBLEMS) this.report.problems.push(problem);
    else this.skip('problems-not-listed');
  }

  skip(reason: string, count = 1): void {
    this.report.skipped[reason] = (this.report.skipped[reason] ?? 0) + count;
  }

  noteEncoding(encoding: string): void {
    this.report.encoding ??= encoding;
  }

  /** Records found since the last drain. */
  drain(): RawRecord[] {
    const out = this.pending;
    this.pending = [];
    return out;
  }

  finish(): void {
    const first = this.report.problems[0];
    if (this.produced === 0 && first) {
      throw new CopydeskError(first.code, `${this.file.name}: no usable record; ${first.message}`, {
        permanent: true,
        details: { problems: this.report.problems.slice(0, 20), skipped: this.report.skipped },
      });
    }
  }
}
