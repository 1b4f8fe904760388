/**
 * One pass of the inbox scan: which waiting files to take now. Input: the waiting names
 * (sorted), what the previous pass saw of each, the free slots, a way to look at a file.
 * Output: the names to take, what to remember, and when the next look is due. A file is taken
 * when its size has not changed since the previous look and it has not been modified for the
 * stability window.
 *
 * Looks are rationed two ways:
 * - a file seen modified at mtime m cannot be taken before m + the window, so it is not looked
 *   at again until then (an lstat of every waiting file on every pass was the watcher's main
 *   cost while files arrived);
 * - only a few files are looked at per pass (twice the free slots, plus a margin): with 10,000
 *   files waiting, an lstat of every one every 250 ms cost more CPU than processing them, and
 *   the flood ran at 8 files/s instead of 40. Names not looked at keep what was seen of them.
 */
export const EXTRA_LOOKS = 16;

export interface Seen {
  size: number;
  mtimeMs: number;
}

export interface RescanPass {
  take: string[];
  seen: Map<string, Seen>;
  /** When (epoch ms) a waiting file is next worth a look; null when none is (all taken or none waiting). */
  nextLookAt: number | null;
}

export async function rescanPass(
  waiting: readonly string[],
  previous: ReadonlyMap<string, Seen>,
  free: number,
  look: (name: string) => Promise<Seen | null>,
  stabilityMs: number,
  now: () => number = Date.now,
): Promise<RescanPass> {
  const take: string[] = [];
  const seen = new Map<string, Seen>();
  let nextLookAt: number | null = null;
  const lookAgainAt = (at: number) => (nextLookAt = nextLookAt === null ? at : Math.min(nextLookAt, at));
  let slots = Math.max(0, free);
  let looks = slots * 2 + EXTRA_LOOKS;
  for (const name of waiting) {
    const before = previous.get(name);
    // At the clock's resolution: an mtime has sub-millisecond digits that Date.now() lacks, so a
    // file written within the current millisecond would look modified in the future.
    const stableAt = (st: Seen) => Math.floor(st.mtimeMs) + stabilityMs;
    if (before && now() < stableAt(before)) {
      seen.set(name, before);
      lookAgainAt(stableAt(before));
      continue;
    }
    if (slots <= 0 || looks <= 0) {
      if (before) seen.set(name, before);
      lookAgainAt(now());
      continue;
    }
    looks--;
    const st = await look(name);
    if (!st) continue;
    if (before?.size === st.size && now() >= stableAt(st)) {
      slots--;
      take.push(name);
    } else {
      seen.set(name, { size: st.size, mtimeMs: st.mtimeMs });
      lookAgainAt(Math.max(now(), stableAt(st)));
    }
  }
  return { take, seen, nextLookAt };
}
