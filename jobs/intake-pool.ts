/**
 * Intake's parsing in a worker thread, each step under the per-document time budget
 * (COPYDESK_DOC_TIME_BUDGET_MS). The main thread reads the file, counts and gunzips its
 * bytes and hands them to the thread (intake-thread.ts) in steps: open (format detection and
 * the first bytes: the whole file when it was read in one piece, up to 4 MiB), push (about a
 * MiB each), end. Each step is bounded by the bytes it is given, so one that runs past the
 * budget is a pathological document (a regex backtracking on a crafted line, say): the
 * thread is terminated, the file fails with E_TIME_BUDGET (bad input, not retried) and the
 * event loop never stalls, so lock renewals and the other jobs go on.
 */
import path from 'node:path';
import { badInput, CopydeskError, ERROR_CODES } from '../src/errors.js';
import type { IntakeParse, IntakeStep } from '../src/intake/index.js';
import type { RawRecord, SourceFile } from '../src/schema/pipeline.js';
import type { CpuPool } from './cpu-pool.js';

/** intake-thread.ts under tsx, intake-thread.js once built: the same extension as this module. */
export const INTAKE_ENTRY = new URL(`./intake-thread${path.extname(new URL(import.meta.url).pathname)}`, import.meta.url);

/** Bytes handed to the thread per step after the head. */
export const INTAKE_STEP_BYTES = 1024 * 1024;

let nextSession = 0;

/**
 * The bytes' buffer, to move to the thread rather than copy, when the view spans all of it
 * (a buffer of its own, not a slice of a shared pool or of zlib's output): the driver never
 * reads a chunk again once handed over.
 */
function movable(bytes: Uint8Array): ArrayBuffer[] {
  const buffer = bytes.buffer;
  return buffer instanceof ArrayBuffer && bytes.byteOffset === 0 && bytes.byteLength === buffer.byteLength ? [buffer] : [];
}

/** The steps of one file's parse, run in `pool`'s thread. */
export function threadedParse(pool: CpuPool, file: SourceFile, budgetMs: number): IntakeParse {
  const id = ++nextSession;
  /** The thread holds this file's parse (opened, not ended, not failed). */
  let live = false;
  const run = async <T>(op: string, args: unknown[], ends: boolean, transfer?: ArrayBuffer[]): Promise<T> => {
    try {
      const value = await pool.run<T>(op, [id, ...args], transfer);
      if (ends) live = false;
      return value;
    } catch (err) {
      live = false;
      if (err instanceof CopydeskError && err.code === ERROR_CODES.TIME_BUDGET) {
        throw badInput(
          ERROR_CODES.TIME_BUDGET,
          `reading ${file.name} took longer than its time budget of ${budgetMs} ms on one piece of the file (format detection, decoding, parsing, repair); the file was not read further`,
        );
      }
      throw err;
    }
  };
  return {
    pushBytes: INTAKE_STEP_BYTES,
    async open(head, complete) {
      live = !complete;
      return run<IntakeStep>('intakeOpen', [file, head, complete], complete, movable(head));
    },
    push: (chunk) => run<RawRecord[]>('intakePush', [chunk], false, movable(chunk)),
    end: () => run<IntakeStep>('intakeEnd', [], true),
    close() {
      if (live) void pool.run('intakeClose', [id]).catch(() => undefined);
      live = false;
    },
  };
}
