/**
 * The inbox folder's lifecycle on disk: which files are ready, claiming one by atomic rename,
 * and moving it to done/ or failed/ (with <name>.error.json) when the pipeline is through
 * with it. Nothing a person dropped is ever deleted.
 */
import { createHash, randomBytes } from 'node:crypto';
import { fileChunks } from './file-chunks.js';
import { lstat, mkdir, readdir, readFile, rename, rm, stat, access } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../src/config.js';
import { writeFileAtomic } from '../src/fsutil/atomic.js';

type InboxDirs = Pick<Config, 'inbox' | 'doneDir' | 'failedDir' | 'processingDir'>;

/** Hidden files and the partial files browsers and copy tools leave while writing. */
const IGNORED = [/^\./, /\.part$/i, /\.tmp$/i, /\.crdownload$/i, /\.partial$/i, /\.swp$/i, /~$/];

export function isIgnoredName(name: string): boolean {
  return IGNORED.some((re) => re.test(name));
}

const CLAIM_SEPARATOR = '__';
/** A claimed name: the claim's time (base36 ms), 6 random hex characters, the separator, the original name. */
const CLAIM_PREFIX = /^([0-9a-z]+)[0-9a-f]{6}__/;

export interface ClaimedFile {
  name: string;
  claimedPath: string;
  sha256: string;
  size: number;
  mtime: Date;
  isSymlink: boolean;
}

export class Inbox {
  constructor(private readonly dirs: InboxDirs) {}

  async ensureDirs(): Promise<void> {
    for (const d of [this.dirs.inbox, this.dirs.doneDir, this.dirs.failedDir, this.dirs.processingDir]) {
      await mkdir(d, { recursive: true });
    }
  }

  /** Names of files waiting in the inbox (not folders, not hidden or partial files). */
  async waiting(): Promise<string[]> {
    const entries = await readdir(this.dirs.inbox, { withFileTypes: true });
    return entries.filter((e) => (e.isFile() || e.isSymbolicLink()) && !isIgnoredName(e.name)).map((e) => e.name).sort();
  }

  /**
   * Claims a file by renaming it into .processing/. Only one claimer wins a rename, so two
   * watchers never take the same file. Returns null when someone else was first.
   */
  async claim(name: string): Promise<ClaimedFile | null> {
    const claimedPath = await this.claimPath(name);
    return claimedPath ? this.identify(name, claimedPath) : null;
  }

  /** The rename alone (cheap): returns where the file now is, or null when someone else was first. */
  async claimPath(name: string): Promise<string | null> {
    const from = path.join(this.dirs.inbox, name);
    const claimedPath = path.join(this.dirs.processingDir, `${Date.now().toString(36)}${randomBytes(3).toString('hex')}${CLAIM_SEPARATOR}${name}`);
    if (await renameUnlessGone(from, claimedPath)) return claimedPath;
    // Someone else was first, unless the file is still here: then .processing/ is what is
    // missing (the inbox folder was made again under a running watcher). Make it and retry.
    if (!(await lstat(from).catch(() => null))) return null;
    await this.ensureDirs();
    return (await renameUnlessGone(from, claimedPath)) ? claimedPath : null;
  }

  /** Identity of a claimed file: its sha256 (the job id) and size; links are never followed. */
  async identify(name: string, claimedPath: string): Promise<ClaimedFile> {
    const link = await lstat(claimedPath);
    if (link.isSymbolicLink()) {
      // Never follow a link out of the inbox: the link itself is the thing that was dropped.
      return { name, claimedPath, sha256: sha256OfText(`symlink:${name}:${claimedPath}`), size: 0, mtime: link.mtime, isSymlink: true };
    }
    const { sha256, size } = await hashFile(claimedPath);
    return { name, claimedPath, sha256, size, mtime: link.mtime, isSymlink: false };
  }

  /** Files claimed earlier whose processing never started (a watcher crashed mid-claim). */
  async orphanedClaims(): Promise<{ name: string; claimedPath: string }[]> {
    const entries = await readdir(this.dirs.processingDir, { withFileTypes: true }).catch(() => []);
    return entries
      .filter((e) => !e.isDirectory())
      .map((e) => ({ name: originalName(e.name), claimedPath: path.join(this.dirs.processingDir, e.name) }));
  }

  async moveToDone(claimedPath: string, name: string, report?: unknown): Promise<string> {
    const dest = await moveOnce(claimedPath, this.dirs.doneDir, name);
    if (report !== undefined) await writeFileAtomic(`${dest}.report.json`, `${JSON.stringify(report, null, 2)}\n`);
    return dest;
  }

  async moveToFailed(claimedPath: string, name: string, error: FailureReport): Promise<string> {
    const dest = await moveOnce(claimedPath, this.dirs.failedDir, name);
    await writeFileAtomic(`${dest}.error.json`, `${JSON.stringify(error, null, 2)}\n`);
    return dest;
  }

  /**
   * A file in failed/ whose articles were stored after all: to done/, with a report that
   * carries its earlier error report (`earlierFailure`), which leaves failed/ with it.
   */
  async recoverToDone(failedPath: string, name: string, report: Record<string, unknown>): Promise<string> {
    const errorReport = `${failedPath}.error.json`;
    const earlierFailure = await readFile(errorReport, 'utf8').then((t) => JSON.parse(t) as unknown, () => null);
    const dest = await moveOnce(failedPath, this.dirs.doneDir, name);
    await writeFileAtomic(`${dest}.report.json`, `${JSON.stringify({ ...report, earlierFailure }, null, 2)}\n`);
    await rm(errorReport, { force: true });
    return dest;
  }

  /**
   * Files claimed and not yet settled: only .processing/ is read, however full done/ grows. A
   * .processing/ that cannot be read is an error, not an empty one: the bound must hold.
   */
  async inFlight(): Promise<number> {
    try {
      return (await readdir(this.dirs.processingDir)).length;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0;
      throw err;
    }
  }

  async counts(): Promise<{ inbox: number; processing: number; done: number; failed: number }> {
    const count = async (dir: string, skipReports: boolean) => {
      const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
      return entries.filter((e) => !e.isDirectory() && !isIgnoredName(e.name) && !(skipReports && /\.(error|report)\.json$/.test(e.name))).length;
    };
    return {
      inbox: await count(this.dirs.inbox, false),
      processing: await this.inFlight().catch(() => 0),
      done: await count(this.dirs.doneDir, true),
      failed: await count(this.dirs.failedDir, true),
    };
  }
}

/** A rename that reports a missing source or destination folder (ENOENT) as false instead of throwing. */
async function renameUnlessGone(from: string, to: string): Promise<boolean> {
  try {
    await rename(from, to);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}

export interface FailureReport {
  file: string;
  sha256: string;
  code: string;
  message: string;
  stage: string;
  attempts: number;
  time: string;
  problems?: unknown[];
}

/** When a claimed file was claimed (ms since the epoch), read from its name; null for other names. */
export function claimTime(claimedPath: string): number | null {
  const m = CLAIM_PREFIX.exec(path.basename(claimedPath));
  return m ? parseInt(m[1]!, 36) : null;
}

function originalName(claimedName: string): string {
  const i = claimedName.indexOf(CLAIM_SEPARATOR);
  return i < 0 ? claimedName : claimedName.slice(i + CLAIM_SEPARATOR.length);
}

function sha256OfText(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export async function hashFile(file: string): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of fileChunks(file)) {
    hash.update(chunk);
    size += chunk.length;
  }
  return { sha256: hash.digest('hex'), size };
}

const exists = (p: string) => access(p).then(() => true, () => false);

/**
 * Moves a claimed file into `dir` under its original name (a suffix when the name is taken).
 * Idempotent: when the claimed file is already gone (a retried finalize), nothing happens.
 */
async function moveOnce(claimedPath: string, dir: string, name: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  const ext = path.extname(name);
  const stem = name.slice(0, name.length - ext.length);
  let dest = path.join(dir, name);
  for (let i = 1; await exists(dest); i++) dest = path.join(dir, `${stem} (${i})${ext}`);
  try {
    await rename(claimedPath, dest);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  return dest;
}

export async function fileMtime(file: string): Promise<Date> {
  return (await stat(file)).mtime;
}
