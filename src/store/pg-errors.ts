/**
 * Which PostgreSQL failures may heal by themselves. Those become transient
 * E_STORE_UNAVAILABLE errors, so BullMQ retries the store job with backoff instead of
 * failing the inbox file. Values PostgreSQL cannot hold (a NUL character, a lone UTF-16
 * surrogate) will never store: permanent E_INVALID_RECORD, so the file goes to failed/ with
 * the reason. Anything else (a bug) is rethrown as it is.
 */
import { badInput, transient, ERROR_CODES, type CopydeskError } from '../errors.js';

/** Socket-level errors from node (server down, restarting, unreachable, DNS not ready). */
const TRANSIENT_NODE_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN',
]);

/**
 * SQLSTATE classes and codes: 08 connection exception, 53 insufficient resources (disk,
 * memory, too many connections), 57P01-57P03 shutdown / cannot connect now (a restart or
 * failover), 40001 serialization failure and 40P01 deadlock (retrying is the documented fix).
 */
const TRANSIENT_SQLSTATE_CLASSES: readonly string[] = ['08', '53'];
const TRANSIENT_SQLSTATES: ReadonlySet<string> = new Set(['57P01', '57P02', '57P03', '40001', '40P01']);

/** node-postgres reports some connection losses only by message, without a code. */
const TRANSIENT_MESSAGES: readonly RegExp[] = [
  /Connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /Query read timeout/i,
  /Client has encountered a connection error/i,
];

export function isTransientPgError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (TRANSIENT_NODE_CODES.has(code) || TRANSIENT_SQLSTATES.has(code)) return true;
    if (/^[0-9A-Z]{5}$/.test(code) && TRANSIENT_SQLSTATE_CLASSES.includes(code.slice(0, 2))) return true;
  }
  if (err instanceof AggregateError && err.errors.some(isTransientPgError)) return true;
  return TRANSIENT_MESSAGES.some((re) => re.test(err.message));
}

/**
 * The connection died under a statement (reset, closed, or the server terminated it), as
 * opposed to a server that cannot be reached or does not answer in time.
 */
const BROKEN_CONNECTION_CODES: ReadonlySet<string> = new Set(['ECONNRESET', 'EPIPE', '57P01', '57P02']);

export function isBrokenConnection(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  return (typeof code === 'string' && BROKEN_CONNECTION_CODES.has(code)) || /Connection terminated unexpectedly/i.test(err.message);
}

/** SQLSTATE class 22, data exception: the values themselves are refused. */
const DATA_EXCEPTION_CLASS = '22';

export function isDataPgError(err: unknown): boolean {
  const code = err instanceof Error ? (err as { code?: unknown }).code : undefined;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && code.startsWith(DATA_EXCEPTION_CLASS);
}

/** Wraps transient failures as E_STORE_UNAVAILABLE and refused values as E_INVALID_RECORD. */
export function storeError(action: string, err: unknown): CopydeskError | unknown {
  if (isDataPgError(err)) {
    return badInput(ERROR_CODES.INVALID_RECORD, `PostgreSQL store: cannot ${action}: ${(err as Error).message}`, { sqlstate: (err as { code: string }).code });
  }
  if (!isTransientPgError(err)) return err;
  const reason = (err as Error).message || (err as { code?: string }).code || 'unknown error';
  return transient(ERROR_CODES.STORE_UNAVAILABLE, `PostgreSQL store: cannot ${action}: ${reason}`, err);
}
