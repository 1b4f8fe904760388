/**
 * Typed errors with a stable `code`.
 *
 * `permanent` errors describe bad input: retrying cannot help, so the BullMQ layer turns
 * them into UnrecoverableError and the file goes to failed/ with a report. Other errors
 * (a store that is down, Redis hiccups) are transient and retried with backoff.
 */
export const ERROR_CODES = {
  EMPTY_FILE: 'E_EMPTY_FILE',
  UNSUPPORTED_FORMAT: 'E_UNSUPPORTED_FORMAT',
  DECODE: 'E_DECODE',
  FILE_TOO_LARGE: 'E_FILE_TOO_LARGE',
  DECOMPRESSED_TOO_LARGE: 'E_DECOMPRESSED_TOO_LARGE',
  TOO_MANY_RECORDS: 'E_TOO_MANY_RECORDS',
  BAD_JSON: 'E_BAD_JSON',
  BAD_RECORD_LAYOUT: 'E_BAD_RECORD_LAYOUT',
  BAD_WARC: 'E_BAD_WARC',
  BAD_FEED: 'E_BAD_FEED',
  BAD_GZIP: 'E_BAD_GZIP',
  TOO_DEEP: 'E_TOO_DEEP',
  BAD_PAYLOAD: 'E_BAD_PAYLOAD',
  INVALID_RECORD: 'E_INVALID_RECORD',
  FILE_MISSING: 'E_FILE_MISSING',
  STORE_UNAVAILABLE: 'E_STORE_UNAVAILABLE',
  CONFIG: 'E_CONFIG',
  MODEL: 'E_MODEL',
  /** A document took longer than its time budget in a CPU stage (pathological input). */
  TIME_BUDGET: 'E_TIME_BUDGET',
  /** A CPU thread died on a document (e.g. out of memory). */
  STAGE_CRASH: 'E_STAGE_CRASH',
} as const;

export type ErrorCode = (typeof ERROR_CODES)[keyof typeof ERROR_CODES];

export class CopydeskError extends Error {
  readonly code: ErrorCode;
  readonly permanent: boolean;
  readonly details: Record<string, unknown> | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    opts: { permanent?: boolean; cause?: unknown; details?: Record<string, unknown> } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'CopydeskError';
    this.code = code;
    this.permanent = opts.permanent ?? true;
    this.details = opts.details;
  }
}

/** Bad input: never retried. */
export function badInput(
  code: ErrorCode,
  message: string,
  details?: Record<string, unknown>,
): CopydeskError {
  return new CopydeskError(code, message, { permanent: true, details });
}

/** A dependency that may come back (store, network): retried with backoff. */
export function transient(code: ErrorCode, message: string, cause?: unknown): CopydeskError {
  return new CopydeskError(code, message, { permanent: false, cause });
}

export function isPermanent(err: unknown): boolean {
  return err instanceof CopydeskError && err.permanent;
}

export function errorCode(err: unknown): string {
  if (err instanceof CopydeskError) return err.code;
  if (err && typeof err === 'object' && 'code' in err && typeof err.code === 'string') return err.code;
  return 'E_INTERNAL';
}
