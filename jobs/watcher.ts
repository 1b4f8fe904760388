/**
 * The inbox watcher: takes the files present at start-up and every new one once it is fully
 * written (size stable), claims it by atomic rename, and queues it. Applies backpressure:
 * while too many files are in flight it leaves new ones in the inbox and looks again later.
 */
import chokidar, { type FSWatcher } from 'chokidar';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import path from 'node:path';
import type { Config } from '../src/config.js';
import type { Logger } from '../src/logger.js';
import { Inbox, isIgnoredName, hashFile } from './inbox.js';
import { ownKey } from './queues.js';
import { submitClaimed } from './submit.js';
import { rescanPass } from './rescan.js';
import { lstat } from 'node:fs/promises';

const RESCAN_MS = 2_000;
/** While files wait under backpressure, slots freed by finished files are refilled this soon. */
const BUSY_RESCAN_MS = 250;

export interface RunningWatcher {
  close(): Promise<void>;
  /** Resolves when the files present at start-up have been looked at. */
  ready: Promise<void>;
}

export async function startWatcher(deps: { config: Config; redis: Redis; intakeQueue: Queue; logger: Logger }): Promise<RunningWatcher> {
  const { config, logger } = deps;
  const inbox = new Inbox(config);
  await inbox.ensureDirs();
  const log = logger.child({ component: 'watcher' });
  let closed = false;
  let chain: Promise<void> = Promise.resolve();

  // Only .processing/ is read: counting done/ (which grows without end) on every take made a
  // flood quadratic.
  const inFlight = () => inbox.inFlight();

  // Admission (the bound check and the claiming rename) runs one file at a time, so the bound
  // is exact; hashing and queuing a claimed file run alongside, or a flood would be taken at
  // the pace of one Redis round trip chain per file.
  const submitting = new Set<Promise<void>>();
  const submit = (name: string, claimedPath: string) => {
    const p = (async () => {
      try {
        await submitClaimed({ ...deps, inbox, logger: log }, await inbox.identify(name, claimedPath));
      } catch (err) {
        log.error({ err, file: name, claimedPath }, 'claimed file could not be queued; it is queued at the next start');
      }
    })();
    submitting.add(p);
    void p.finally(() => submitting.delete(p));
  };
  const take = (name: string) => {
    chain = chain.then(async () => {
      if (closed || isIgnoredName(name)) return;
      if ((await inFlight()) >= config.maxFilesInFlight) return; // the rescan picks it up later
      try {
        const claimedPath = await inbox.claimPath(name);
        if (claimedPath) submit(name, claimedPath);
      } catch (err) {
        log.error({ err, file: name }, 'could not take file; will try again');
      }
    });
    return chain;
  };

  await requeueOrphans({ ...deps, inbox, logger: log });

  const watcher: FSWatcher = chokidar.watch(config.inbox, {
    depth: 0,
    ignoreInitial: false,
    followSymlinks: false,
    // The poll adds up to one interval to every file's wait past the stability window: keep it short.
    awaitWriteFinish: { stabilityThreshold: config.stabilityMs, pollInterval: Math.max(25, Math.min(100, config.stabilityMs / 5)) },
    ignored: (p: string) => p !== config.inbox && (isIgnoredName(path.basename(p)) || path.dirname(p) !== config.inbox),
  });
  // chokidar waits for writes to finish only after its initial scan: a file found by the scan
  // (present at start-up, or created while the scan runs) may still be being written. Those are
  // left to the rescan, which takes a file only once its size and mtime have held still.
  let scanned = false;
  watcher.on('add', (p) => {
    if (scanned) void take(path.basename(p));
  });
  watcher.on('error', (err) => log.error({ err }, 'watch error'));
  const ready = new Promise<void>((resolve) =>
    watcher.once('ready', () => {
      scanned = true;
      resolve();
    }),
  );

  // Files skipped under backpressure, or missed by the OS's events, are taken on a rescan,
  // but only when their size has not changed since the last look and for the stability window.
  // One rescan at a time, each taking no more files than there are free slots (a flood of
  // 10,000 names must not queue 10,000 takes every interval), and soon again while files wait.
  let sizes = new Map<string, number>();
  let rescanTimer: NodeJS.Timeout | undefined;
  const rescan = async (): Promise<number> => {
    await chain;
    const free = config.maxFilesInFlight - (await inFlight());
    const waiting = await inbox.waiting().catch(() => [] as string[]);
    const pass = await rescanPass(
      waiting,
      sizes,
      closed ? 0 : free,
      (name) => lstat(path.join(config.inbox, name)).catch(() => null),
      config.stabilityMs,
    );
    for (const name of pass.take) void take(name);
    sizes = pass.sizes; // only names still waiting: the map cannot grow with every file ever seen
    return waiting.length;
  };
  const scheduleRescan = (ms: number) => {
    rescanTimer = setTimeout(() => {
      void rescan()
        .catch((err: unknown) => {
          log.error({ err }, 'inbox rescan failed');
          return 0;
        })
        .then((waiting) => {
          if (!closed) scheduleRescan(waiting > 0 ? BUSY_RESCAN_MS : RESCAN_MS);
        });
    }, ms);
  };
  scheduleRescan(BUSY_RESCAN_MS); // soon: the files present at start-up are taken by the rescan

  log.info({ inbox: config.inbox }, 'watching the inbox');
  return {
    ready,
    async close() {
      closed = true;
      clearTimeout(rescanTimer);
      await watcher.close();
      await chain;
      await Promise.all(submitting);
    },
  };
}

/**
 * A file sits in .processing/ without an intake job when a watcher died between claiming it
 * and queuing it: queue it now. Files whose job exists are in flight and left alone.
 */
async function requeueOrphans(deps: { config: Config; redis: Redis; intakeQueue: Queue; inbox: Inbox; logger: Logger }) {
  for (const orphan of await deps.inbox.orphanedClaims()) {
    const st = await lstat(orphan.claimedPath).catch(() => null);
    if (!st || st.isSymbolicLink()) continue;
    const { sha256, size } = await hashFile(orphan.claimedPath);
    const owner = await deps.redis.hget(ownKey(deps.config, 'file', sha256), 'claimedPath');
    // Registered and its intake job exists: in flight, someone is on it. A registration whose
    // job was never added (the watcher died between the two) is queued again; the same job id
    // makes that safe if the job exists after all.
    if (owner === orphan.claimedPath && (await deps.intakeQueue.getJob(sha256))) continue;
    deps.logger.warn({ file: orphan.name }, 'found a claimed file that was never queued; queuing it');
    await submitClaimed(deps, { ...orphan, sha256, size, mtime: st.mtime, isSymlink: false });
  }
}
