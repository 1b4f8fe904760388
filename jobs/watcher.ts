/**
 * The inbox watcher: takes the files present at start-up and every new one once it is fully
 * written (size stable), claims it by atomic rename, and queues it. Applies backpressure:
 * while too many files are in flight it leaves new ones in the inbox and looks again later.
 */
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import path from 'node:path';
import type { Config } from '../src/config.js';
import type { Logger } from '../src/logger.js';
import { Inbox, isIgnoredName, hashFile } from './inbox.js';
import { ownKey } from './queues.js';
import { submitClaimed } from './submit.js';
import { rescanPass, type Seen } from './rescan.js';
import { lstat } from 'node:fs/promises';
import { watch, type FSWatcher } from 'node:fs';

/** The scan runs this often with nothing waiting (events missed, e.g. on network or container mounts). */
const RESCAN_MS = 2_000;
/** While files wait under backpressure, slots freed by finished files are refilled this soon. */
const BUSY_RESCAN_MS = 250;
/** The shortest gap between scans: after an event (a copy makes several), or between two looks at a file. */
const POLL_MS = 50;

export interface RunningWatcher {
  close(): Promise<void>;
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
      try {
        if ((await inFlight()) >= config.maxFilesInFlight) return; // the scan takes it later
        const claimedPath = await inbox.claimPath(name);
        if (claimedPath) submit(name, claimedPath);
      } catch (err) {
        log.error({ err, file: name }, 'could not take file; will try again');
      }
    });
    return chain;
  };

  await requeueOrphans({ ...deps, inbox, logger: log });

  // Every file is taken by the scan below once it holds still (see rescanPass); the OS's file
  // events only wake the scan early. chokidar did this job before, at 3-5 ms of CPU per file: on
  // every change to the folder it read it again and lstat-ed every entry, back to back while
  // files kept arriving, and watched each file on its own. At ~150 files/s it fell behind.
  let seen = new Map<string, Seen>();
  let scanTimer: NodeJS.Timeout | undefined;
  let scanDueAt = Infinity;
  let scanning = false;
  let rescanSoon = false;
  const scan = async (): Promise<{ waiting: number; free: number; took: number; nextLookAt: number | null }> => {
    await chain;
    const free = config.maxFilesInFlight - (await inFlight());
    const waiting = await inbox.waiting().catch(() => [] as string[]);
    const pass = await rescanPass(
      waiting,
      seen,
      closed ? 0 : free,
      (name) => lstat(path.join(config.inbox, name)).catch(() => null),
      config.stabilityMs,
    );
    for (const name of pass.take) void take(name);
    seen = pass.seen; // only names still waiting: the map cannot grow with every file ever seen
    return { waiting: waiting.length, free: free - pass.take.length, took: pass.take.length, nextLookAt: pass.nextLookAt };
  };
  const scheduleScan = (ms: number) => {
    if (closed) return;
    const at = Date.now() + ms;
    if (scanning) {
      rescanSoon ||= ms <= POLL_MS;
      return;
    }
    if (at >= scanDueAt) return;
    clearTimeout(scanTimer);
    scanDueAt = at;
    scanTimer = setTimeout(() => void runScan(), ms);
  };
  let running: Promise<void> = Promise.resolve();
  const runScan = () => {
    running = (async () => {
      scanDueAt = Infinity;
      scanning = true;
      let next = RESCAN_MS;
      try {
        if (!events) listen();
        const { waiting, free, took, nextLookAt } = await scan();
        if (waiting > took && free <= 0) next = BUSY_RESCAN_MS;
        // A take can be declined (no room after all, another watcher first, a failed rename):
        // look again soon, the files' stability kept.
        else if (took > 0) next = POLL_MS;
        else if (nextLookAt !== null) next = Math.min(RESCAN_MS, Math.max(POLL_MS, nextLookAt - Date.now()));
      } catch (err) {
        log.error({ err }, 'inbox scan failed');
      } finally {
        scanning = false;
      }
      if (rescanSoon) next = Math.min(next, POLL_MS);
      rescanSoon = false;
      scheduleScan(next);
    })();
  };
  // The OS's file events, when it has them; after an error (the inbox folder removed and made
  // again, say) the next scan listens again.
  let events: FSWatcher | undefined;
  let eventsFailed = false;
  const listen = () => {
    try {
      const w = watch(config.inbox, { persistent: false }, (_event, name) => {
        if (name === null || !isIgnoredName(name)) scheduleScan(POLL_MS);
      });
      w.on('error', (err) => {
        if (events === w) events = undefined;
        w.close();
        log.warn({ err }, 'inbox file events failed; the inbox is scanned every 2 s until they work again');
      });
      events = w;
      eventsFailed = false;
    } catch (err) {
      if (!eventsFailed) log.warn({ err }, 'no file events for the inbox; it is scanned every 2 s');
      eventsFailed = true;
    }
  };
  listen();
  scheduleScan(0); // the files present at start-up are taken by the first scans, once they hold still

  log.info({ inbox: config.inbox }, 'watching the inbox');
  return {
    async close() {
      closed = true;
      clearTimeout(scanTimer);
      events?.close();
      await running;
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
