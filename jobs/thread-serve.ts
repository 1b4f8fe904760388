/**
 * The message loop of a pool thread (cpu-pool.ts): answers { id, op, args } with
 * { id, ok, value } or { id, ok: false, error }, errors keeping their code and whether they
 * are permanent, then says it is ready. Shared by the CPU-stage and the intake threads.
 */
import { parentPort } from 'node:worker_threads';
import { CopydeskError } from '../src/errors.js';

export interface CpuTask {
  id: number;
  op: string;
  args: unknown[];
}

export type CpuReply =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: { code: string; message: string; permanent: boolean } };

export function serveOperations(ops: Record<string, (...args: unknown[]) => unknown>): void {
  const port = parentPort!;
  port.on('message', (task: CpuTask) => {
    let reply: CpuReply;
    try {
      const op = ops[task.op];
      if (!op) throw new Error(`unknown operation ${task.op}`);
      reply = { id: task.id, ok: true, value: op(...task.args) };
    } catch (err) {
      const e = err as Error;
      reply = {
        id: task.id,
        ok: false,
        error: { code: err instanceof CopydeskError ? err.code : 'E_INTERNAL', message: e?.message ?? String(err), permanent: err instanceof CopydeskError ? err.permanent : false },
      };
    }
    port.postMessage(reply);
  });
  port.postMessage({ ready: true });
}
