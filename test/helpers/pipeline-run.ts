/**
 * Shared pieces of the reliability tests: a temporary workspace (inbox, out, staging), distinct
 * input files made from the sample, the ids `copydesk process` expects for them (so tests do
 * not hard-code what today's stages produce), and probes of the inbox folders and processes.
 */
import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runCli, waitFor, type CliProcess } from './cli.js';
import { cleanupTestRedis, type TestRedis } from './redis-server.js';
import { listDir } from './out.js';

export const SAMPLE = path.join(import.meta.dirname, '../../samples/aggregator-dump.txt');

/** Nothing listens on port 1: `copydesk process` must not need Redis. */
export const NO_REDIS = { REDIS_URL: 'redis://127.0.0.1:1' };

export interface Workspace {
  root: string;
  inbox: string;
  out: string;
  staging: string;
  state: string;
  done: string;
  failed: string;
  processing: string;
  remove(): Promise<void>;
}

export async function makeWorkspace(tag: string): Promise<Workspace> {
  const root = await mkdtemp(path.join(os.tmpdir(), `copydesk-${tag}-`));
  const inbox = path.join(root, 'inbox');
  const ws: Workspace = {
    root,
    inbox,
    out: path.join(root, 'out'),
    staging: path.join(root, 'staging'),
    state: path.join(root, 'state'),
    done: path.join(inbox, 'done'),
    failed: path.join(inbox, 'failed'),
    processing: path.join(inbox, '.processing'),
    remove: () => rm(root, { recursive: true, force: true }),
  };
  await mkdir(ws.staging, { recursive: true });
  return ws;
}

/**
 * Writes `count` sample dumps with distinct bytes into `dir` (each one changes a figure in the
 * text, so each file is its own job) and returns their names.
 */
export async function writeSampleVariants(dir: string, count: number, stem = 'dump'): Promise<string[]> {
  const text = await readFile(SAMPLE, 'utf8');
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    const name = `${stem}-${i}.txt`;
    await writeFile(path.join(dir, name), `${text}\nFiled as ${stem} number ${i}.\n`);
    names.push(name);
  }
  return names;
}

/** Moves staged files into the inbox the way a careful producer does: write then rename. */
export async function dropInto(inbox: string, staging: string, names: readonly string[]): Promise<void> {
  await mkdir(inbox, { recursive: true });
  for (const name of names) {
    const tmp = path.join(inbox, `.${name}.part`);
    await writeFile(tmp, await readFile(path.join(staging, name)));
    await rename(tmp, path.join(inbox, name));
  }
}

/** The sorted article ids the in-process driver produces for the files under `paths`. */
export function expectedIds(paths: string[], env: Record<string, string> = {}): string[] {
  const r = runCli(['process', ...paths, '--stdout'], { ...NO_REDIS, ...env });
  if (r.status !== 0) throw new Error(`copydesk process failed (${r.status}): ${r.stderr}`);
  return r.stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => (JSON.parse(l) as { id: string }).id)
    .sort();
}

/** Files in done/ or failed/, without the .report.json / .error.json beside them. */
export async function settledFiles(dir: string): Promise<string[]> {
  return (await listDir(dir)).filter((n) => !/\.(report|error)\.json$/.test(n));
}

export async function readErrorReport(failedDir: string, name: string): Promise<{ code: string; message: string; stage: string; attempts: number }> {
  return JSON.parse(await readFile(path.join(failedDir, `${name}.error.json`), 'utf8')) as { code: string; message: string; stage: string; attempts: number };
}

/** Resident set size of a live process in KiB (Linux), or undefined once it has gone. */
export async function rssKiB(pid: number): Promise<number | undefined> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  return m ? Number(m[1]) : undefined;
}

/** Runs `probe` every `everyMs` until stop() and keeps the largest value seen. */
export function sampleMax(probe: () => Promise<number | undefined>, everyMs: number): { stop(): Promise<number> } {
  let max = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const v = await probe().catch(() => undefined);
      if (v !== undefined && v > max) max = v;
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return max;
    },
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function isAlive(child: { exitCode: number | null; signalCode: NodeJS.Signals | null }): boolean {
  return child.exitCode === null && child.signalCode === null;
}

/** Waits for `copydesk start|watch` to watch its inbox; fails at once, with its output, if it died. */
export async function waitForWatcher(cli: CliProcess, timeoutMs = 30_000): Promise<void> {
  await waitFor('the watcher', async () => cli.output().includes('watching the inbox') || !isAlive(cli.child), timeoutMs);
  if (!isAlive(cli.child)) throw new Error(`copydesk exited before watching the inbox:\n${cli.output().slice(-4000)}`);
}

/** A small one-article dump; the number makes every file's bytes (and article) distinct. */
export function smallDump(i: number): string {
  return [
    `Harbour authority reports record cargo volumes in quarter ${i}`,
    '',
    `The port handled ${1000 + i} container ships in the period, the authority said on Tuesday, citing stronger demand for electronics and machinery from regional manufacturers.`,
    '',
    `Officials said dredging work finished last year allowed larger vessels to dock, and that a new rail link would carry ${i % 97} percent more freight inland by the end of the decade.`,
    '',
  ].join('\n');
}

/** After a run, whatever it got as far as: the copydesk process killed, its Redis stopped, its workspace removed. */
export async function tearDownRun(run: { cli?: CliProcess; redis?: TestRedis; ws?: Workspace }): Promise<void> {
  run.cli?.child.kill('SIGKILL');
  if (run.redis) await cleanupTestRedis(run.redis);
  await run.ws?.remove();
}
