/**
 * `copydesk replay`: moves files from failed/ back into the inbox so the watcher takes them
 * again (after the rules or the code were fixed).
 *
 * The pipeline remembers every file by the sha256 of its bytes (tracker keys, deterministic
 * job ids), so the same bytes would otherwise be recognised as "already submitted" and go
 * straight to done/. Replay therefore forgets the file first: its tracker keys and every
 * finished job of it in every stage. Only then is the file moved, never over an existing
 * inbox file (a " (n)" suffix is added), and its <name>.error.json removed.
 */
import { access, readdir, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Redis } from 'ioredis';
import { STAGES, type Config, type Stage } from '../../src/config.js';
import { hashFile, isIgnoredName } from '../inbox.js';
import { ownKey, type StageQueues } from '../queues.js';

const SIDE_FILE = /\.(error|report)\.json$/;
const SCAN_BATCH = 500;

export interface ReplayedFile {
  name: string;
  /** Where the file now lies in the inbox (renamed when the name was taken). */
  to: string;
  sha256: string;
  jobsRemoved: number;
}

export interface ReplayResult {
  moved: ReplayedFile[];
  /** Requested names not found in failed/. */
  missing: string[];
  /** Files left in failed/ because a job of theirs is still running. */
  skipped: { name: string; reason: string }[];
}

export interface ReplayDeps {
  queues: StageQueues;
  /** The connection the queues use (the pipeline's keys and the queues' keys share one slot). */
  redis: Redis;
}

export async function replayFailedFiles(
  config: Pick<Config, 'prefix' | 'inbox' | 'failedDir'>,
  names: readonly string[] | 'all',
  deps: ReplayDeps,
): Promise<ReplayResult> {
  const available = await failedFiles(config.failedDir);
  const wanted = names === 'all' ? available : names.filter((n) => available.includes(n));
  const result: ReplayResult = { moved: [], missing: names === 'all' ? [] : names.filter((n) => !available.includes(n)), skipped: [] };
  for (const name of wanted) {
    const source = path.join(config.failedDir, name);
    const sha256 = await recordedSha(source);
    const forgotten = await forgetFile(config, deps, sha256);
    if (forgotten.active.length) {
      result.skipped.push({ name, reason: `jobs still active: ${forgotten.active.join(', ')}` });
      continue;
    }
    const to = await freeName(config.inbox, name);
    await rename(source, to);
    await rm(`${source}.error.json`, { force: true });
    result.moved.push({ name, to, sha256, jobsRemoved: forgotten.removed });
  }
  return result;
}

async function failedFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  return entries.filter((e) => !e.isDirectory() && !isIgnoredName(e.name) && !SIDE_FILE.test(e.name)).map((e) => e.name).sort();
}

/** The sha256 the pipeline knew the file by: from its error report, else from its bytes. */
async function recordedSha(file: string): Promise<string> {
  try {
    const report = JSON.parse(await readFile(`${file}.error.json`, 'utf8')) as { sha256?: unknown };
    if (typeof report.sha256 === 'string' && /^[0-9a-f]{64}$/.test(report.sha256)) return report.sha256;
  } catch {
    // no readable report: hash the bytes
  }
  return (await hashFile(file)).sha256;
}

/** Removes the file's tracker keys and its jobs (ids "<sha>" or "<sha>.…") from every stage. */
async function forgetFile(config: Pick<Config, 'prefix'>, { queues, redis }: ReplayDeps, sha256: string): Promise<{ removed: number; active: string[] }> {
  let removed = 0;
  const active: string[] = [];
  for (const stage of STAGES) {
    for (const jobId of await jobIdsOf(redis, queues, stage, sha256)) {
      if ((await queues[stage].remove(jobId)) === 1) removed++;
      else if ((await queues[stage].getJobState(jobId)) !== 'unknown') active.push(`${stage}/${jobId}`);
    }
  }
  if (!active.length) {
    const base = ownKey(config, 'file', sha256);
    await redis.del(base, `${base}:tokens`, `${base}:problems`);
  }
  return { removed, active };
}

async function jobIdsOf(redis: Redis, queues: StageQueues, stage: Stage, sha256: string): Promise<string[]> {
  const keyPrefix = queues[stage].toKey('');
  const ids = new Set<string>();
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${keyPrefix}${sha256}*`, 'COUNT', SCAN_BATCH);
    cursor = next;
    for (const key of keys) {
      // Job hashes are "<prefix>:<stage>:<id>"; "<id>:logs", "<id>:lock" and the like belong to them.
      const id = key.slice(keyPrefix.length).split(':')[0]!;
      if (id === sha256 || id.startsWith(`${sha256}.`)) ids.add(id);
    }
  } while (cursor !== '0');
  return [...ids];
}

const exists = (p: string) => access(p).then(() => true, () => false);

async function freeName(dir: string, name: string): Promise<string> {
  const ext = path.extname(name);
  const stem = name.slice(0, name.length - ext.length);
  let dest = path.join(dir, name);
  for (let i = 1; await exists(dest); i++) dest = path.join(dir, `${stem} (${i})${ext}`);
  return dest;
}
