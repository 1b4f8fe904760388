/**
 * The intake thread (intake-pool.ts): holds the parse of every file this process is reading
 * (format detection, decoding, parsing, per-record checks and repairs) and runs its steps as
 * the main thread hands over the bytes, each step under the pool's time budget. The main
 * thread keeps the reading, gunzip, Redis and backpressure. Sessions live only here: when
 * the thread is replaced (a step overran its budget), the other files' parses are lost and
 * their next step fails as transient, so their intake jobs are retried from the start.
 */
import { workerData } from 'node:worker_threads';
import { ERROR_CODES, transient } from '../src/errors.js';
import { IntakeSession, type IntakeStep } from '../src/intake/index.js';
import type { IntakeLimits } from '../src/intake/index.js';
import type { RawRecord, SourceFile } from '../src/schema/pipeline.js';
import { serveOperations } from './thread-serve.js';

const { limits } = workerData as { limits: IntakeLimits };
const sessions = new Map<number, IntakeSession>();

function session(id: number): IntakeSession {
  const s = sessions.get(id);
  if (!s) throw transient(ERROR_CODES.STAGE_CRASH, 'the intake thread was replaced (another file overran its time budget) while this file was being read; it is read again');
  return s;
}

/** Runs a step; a failed or final step ends the session. */
function step<T>(id: number, run: () => T, final = false): T {
  try {
    const value = run();
    if (final) sessions.delete(id);
    return value;
  } catch (err) {
    sessions.delete(id);
    throw err;
  }
}

export const intakeOperations = {
  intakeOpen(id: number, file: SourceFile, head: Uint8Array, complete: boolean): IntakeStep {
    return step(id, () => {
      const s = new IntakeSession(file, limits, head, complete);
      sessions.set(id, s);
      return s.start(head);
    }, complete);
  },
  intakePush: (id: number, chunk: Uint8Array): RawRecord[] => step(id, () => session(id).push(chunk)),
  intakeEnd: (id: number): IntakeStep => step(id, () => session(id).end(), true),
  intakeClose(id: number): void {
    sessions.delete(id);
  },
};

serveOperations(intakeOperations as unknown as Record<string, (...args: unknown[]) => unknown>);
