/**
 * A CPU thread of the pool (cpu-pool.ts): builds the stages from the config it is given, then
 * answers { id, op, args } with { id, ok, value } or { id, ok: false, error }. Errors keep
 * their code and whether they are permanent.
 */
import { workerData } from 'node:worker_threads';
import type { Config } from '../src/config.js';
import { buildStages } from './stage-deps.js';
import { cpuOperations } from './cpu-stages.js';
import { serveOperations } from './thread-serve.js';

export type { CpuReply, CpuTask } from './thread-serve.js';

serveOperations(cpuOperations(await buildStages((workerData as { config: Config }).config)) as unknown as Record<string, (...args: unknown[]) => unknown>);
