/**
 * A CPU thread of the pool (cpu-pool.ts): builds the stages from the config it is given, then
 * answers { id, op, args } with { id, ok, value } or { id, ok: false, error }. Errors keep
 * their code and whether they are permanent.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Config } from '../src/config.js';
import { CopydeskError } from '../src/errors.js';
import { buildStages } from './stage-deps.js';
import { cpuOperations, type CpuOperation } from './cpu-stages.js';

export interface CpuTask {
  id: number;
  op: string;
  args: unknown[];
}

export type CpuReply =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: { code: string; message: string; permanent: boolean } };

const port = parentPort!;
const ops = cpuOperations(await buildStages((workerData as { config: Config }).config)) as Record<CpuOperation, (...args: unknown[]) => unknown>;
port.on('message', (task: CpuTask) => {
  let reply: CpuReply;
  try {
    reply = { id: task.id, ok: true, value: ops[task.op as CpuOperation](...task.args) };
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
