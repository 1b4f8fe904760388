/**
 * A pool of worker threads running the CPU stages (see cpu-stages.ts), each document under a
 * time budget: past it the thread is terminated (which stops even a runaway regex), the
 * document fails with E_TIME_BUDGET (bad input: not retried, it shows in its file's report)
 * and a fresh thread takes the slot. Tasks wait in order for a thread. Errors come back with
 * their code and permanence.
 *
 * A thread is handed up to `queuedPerThread` documents at once and runs them in order, so it
 * does not sit idle between one reply and the next document while the event loop is busy
 * with Redis. A document's budget is timed from when the thread can have started it (its
 * dispatch to an idle thread, or the reply to the document before it), so it always gets at
 * least its whole budget; when a thread is replaced, the documents queued behind the one to
 * blame are handed to its replacement.
 */
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Config, Stage } from '../src/config.js';
import { intakeStreamVia } from '../src/intake/index.js';
import type { Logger } from '../src/logger.js';
import { badInput, CopydeskError, ERROR_CODES, transient, type ErrorCode } from '../src/errors.js';
import type { CpuOperation, CpuStages } from './cpu-stages.js';
import type { CpuReply, CpuTask } from './thread-serve.js';
import { INTAKE_ENTRY, threadedParse } from './intake-pool.js';
import { intakeLimits } from './stage-deps.js';

interface Task {
  id: number;
  op: string;
  args: unknown[];
  /** Moved to the thread, not copied: the caller no longer uses them. */
  transfer?: ArrayBuffer[];
  resolve(value: unknown): void;
  reject(err: unknown): void;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  /** Resolves when the thread has built its stages (or died trying). */
  started: Promise<void>;
  /** Handed to the thread, in the order it runs them; the first is running (or about to). */
  tasks: Task[];
  /** The first task's budget. */
  timer?: NodeJS.Timeout;
}

export interface CpuPoolOptions {
  threads: number;
  budgetMs: number;
  /** Data for the thread (the config, for the default entry). */
  workerData: unknown;
  /** The thread's module; the default is cpu-thread next to this file. */
  entry?: URL;
  /** Documents handed to a thread before its first reply (default 4). */
  queuedPerThread?: number;
  logger: Logger;
}

const DEFAULT_QUEUED_PER_THREAD = 4;

const THREAD_RESTART_DELAY_MS = 2000;

/**
 * Starts a thread on `entry`. A TypeScript entry (running under tsx, not built) needs tsx's
 * loader registered inside the thread first: loader hooks are not inherited by threads.
 */
function startThread(entry: URL, workerData: unknown): Worker {
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry, { workerData });
  const tsx = import.meta.resolve('tsx/esm/api');
  const code = `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(entry.href)}); }).catch((err) => { throw err; });`;
  return new Worker(code, { eval: true, workerData });
}

/** cpu-thread.ts under tsx, cpu-thread.js once built: the same extension as this module. */
const DEFAULT_ENTRY = new URL(`./cpu-thread${path.extname(new URL(import.meta.url).pathname)}`, import.meta.url);

export class CpuPool {
  private readonly slots: Slot[] = [];
  private readonly waiting: Task[] = [];
  private nextId = 0;
  private closed = false;

  constructor(private readonly opts: CpuPoolOptions) {
    for (let i = 0; i < opts.threads; i++) this.slots.push(this.spawn());
  }

  /** `transfer`: buffers among the args to move to the thread instead of copying (the caller gives them up). */
  run<T>(op: string, args: unknown[], transfer?: ArrayBuffer[]): Promise<T> {
    if (this.closed) return Promise.reject(new Error('CPU pool closed'));
    return new Promise<T>((resolve, reject) => {
      this.waiting.push({ id: this.nextId++, op, args, transfer, resolve: resolve as (v: unknown) => void, reject });
      this.dispatch();
    });
  }

  /** Resolves once every thread has started (module loading and stage set-up take a second or two). */
  async ready(): Promise<void> {
    await Promise.all(this.slots.map((s) => s.started));
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.waiting.splice(0)) t.reject(new Error('CPU pool closed'));
    await Promise.all(this.slots.map((s) => this.retire(s, new Error('CPU pool closed'))));
  }

  private spawn(): Slot {
    const worker = startThread(this.opts.entry ?? DEFAULT_ENTRY, this.opts.workerData);
    let started!: () => void;
    const slot: Slot = { worker, ready: false, tasks: [], started: new Promise<void>((resolve) => (started = resolve)) };
    worker.once('error', () => started());
    worker.on('message', (msg: CpuReply | { ready: true }) => {
      if ('ready' in msg) {
        slot.ready = true;
        started();
        this.dispatch();
        return;
      }
      const task = slot.tasks[0];
      if (!task || task.id !== msg.id) return;
      this.finishFirst(slot);
      if (msg.ok) task.resolve(msg.value);
      else task.reject(new CopydeskError(msg.error.code as ErrorCode, msg.error.message, { permanent: msg.error.permanent }));
      this.dispatch();
    });
    worker.on('error', (err) => {
      this.opts.logger.error({ err }, 'CPU thread died');
      if (!slot.ready) {
        // It could not even start: no document is to blame. Fail what waits as transient (its
        // jobs are retried with backoff) and try again a little later rather than in a loop.
        for (const t of this.waiting.splice(0)) t.reject(transient(ERROR_CODES.STAGE_CRASH, `CPU threads cannot start: ${err.message}`));
        const i = this.slots.indexOf(slot);
        if (i >= 0) this.slots.splice(i, 1);
        setTimeout(() => {
          if (!this.closed) this.slots.push(this.spawn());
        }, THREAD_RESTART_DELAY_MS).unref();
        return;
      }
      // It died on a document (out of memory, a native crash): that document fails alone.
      const running = slot.tasks[0];
      this.replace(slot, running ? badInput(ERROR_CODES.STAGE_CRASH, `the ${running.op} thread died on this document: ${err.message}`) : err);
    });
    return slot;
  }

  private dispatch(): void {
    const perThread = this.opts.queuedPerThread ?? DEFAULT_QUEUED_PER_THREAD;
    for (const slot of this.slots) {
      if (!slot.ready) continue;
      while (this.waiting.length && slot.tasks.length < perThread) {
        const task = this.waiting.shift()!;
        const message: CpuTask = { id: task.id, op: task.op, args: task.args };
        try {
          slot.worker.postMessage(message, task.transfer);
        } catch (err) {
          // It cannot be sent (it does not clone): it never reaches the thread, so it must not wait for a reply.
          task.reject(err);
          continue;
        }
        slot.tasks.push(task);
        if (slot.tasks.length === 1) this.startBudget(slot);
      }
      if (!this.waiting.length) return;
    }
  }

  /** Times the slot's first task from now: the thread cannot have started it earlier. */
  private startBudget(slot: Slot): void {
    const task = slot.tasks[0]!;
    slot.timer = setTimeout(() => {
      this.opts.logger.warn({ op: task.op, budgetMs: this.opts.budgetMs }, 'document over its time budget: thread replaced');
      this.replace(slot, badInput(ERROR_CODES.TIME_BUDGET, `${task.op} took longer than its budget of ${this.opts.budgetMs} ms on this document`));
    }, this.opts.budgetMs);
  }

  private finishFirst(slot: Slot): void {
    clearTimeout(slot.timer);
    slot.timer = undefined;
    slot.tasks.shift();
    if (slot.tasks.length) this.startBudget(slot);
  }

  /**
   * Fails the slot's running document with `reason`, terminates the thread and puts a fresh
   * one in its place; the documents queued behind it go back to the front of the line.
   */
  private replace(slot: Slot, reason: unknown): void {
    const i = this.slots.indexOf(slot);
    if (i < 0) return;
    const [running, ...innocent] = slot.tasks;
    slot.tasks = running ? [running] : [];
    // A task whose buffers were moved to the dead thread cannot be sent again: it fails as
    // transient, and its job is retried.
    for (const task of innocent.filter((t) => t.transfer?.length)) {
      task.reject(transient(ERROR_CODES.STAGE_CRASH, `the ${task.op} thread was replaced (another document overran its time budget) while this one waited in it`));
    }
    this.waiting.unshift(...innocent.filter((t) => !t.transfer?.length));
    void this.retire(slot, reason);
    if (!this.closed) {
      this.slots[i] = this.spawn();
    } else this.slots.splice(i, 1);
  }

  /** Rejects every task the slot still holds with `reason` and terminates its thread. */
  private async retire(slot: Slot, reason: unknown): Promise<void> {
    clearTimeout(slot.timer);
    for (const task of slot.tasks.splice(0)) task.reject(reason);
    slot.worker.removeAllListeners('message');
    slot.worker.removeAllListeners('error');
    slot.worker.on('error', () => undefined);
    await slot.worker.terminate();
  }
}

/**
 * The CPU stages in a pool of `config.cpuThreads` threads, each document under
 * `config.docTimeBudgetMs`, and intake's parsing in a thread of its own under the same budget
 * per step (intake-pool.ts). Threads start on first use (a watcher-only process has none) or
 * at `warm()`, which a worker process awaits before it takes jobs.
 */
export function pooledCpuStages(config: Config, logger: Logger): CpuStages {
  let pool: CpuPool | undefined;
  let intake: CpuPool | undefined;
  const get = () => (pool ??= new CpuPool({ threads: config.cpuThreads, budgetMs: config.docTimeBudgetMs, workerData: { config }, logger }));
  const limits = intakeLimits(config);
  // One thread: intake's parsing is light next to the CPU stages (~20,000 records/s).
  // Steps of other files queued behind a runaway one hand their bytes over (moved, not copied):
  // they fail as transient with the thread, like the parses it held, and are read again.
  const getIntake = () => (intake ??= new CpuPool({ threads: 1, budgetMs: config.docTimeBudgetMs, workerData: { limits }, entry: INTAKE_ENTRY, logger }));
  const run = <T>(op: CpuOperation, ...args: unknown[]) => get().run<T>(op, args);
  return {
    intakeStream: (file, input) => intakeStreamVia(file, input, limits, threadedParse(getIntake(), file, config.docTimeBudgetMs)),
    clean: (record) => run('clean', record),
    split: (doc, file) => run('split', doc, file),
    classify: (file, draft, dedupe) => run('classify', file, draft, dedupe),
    async warm(stages) {
      const warming: Promise<void>[] = [];
      if (stages.some((s) => CPU_STAGES.includes(s))) warming.push(get().ready());
      if (stages.includes('intake')) warming.push(getIntake().ready());
      await Promise.all(warming);
    },
    close: async () => {
      await Promise.all([pool?.close(), intake?.close()]);
    },
  };
}

/** The stages whose documents run in the CPU pool. */
export const CPU_STAGES: readonly Stage[] = ['clean', 'split', 'classify'];
