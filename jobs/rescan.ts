/**
 * One pass of the inbox scan: which waiting files to take now. Input: the waiting names
 * (sorted), what the previous pass saw of each, the free slots, a way to look at a file.
 * Output: the names to take, what to remember, and when the next look is due.
 *
 * A file is taken once its size and mtime have not changed for the stability window, timed on
 * the watcher's own clock from the look that first saw them. Its mtime is only compared with
 * itself, never with the clock: on a network mount whose server's clock is behind, or where
 * mtimes are kept to the second, a file being written can carry an mtime that already looks
 * old, and one from a server whose clock is ahead would look modified in the future for good.
 *
 * Looks are rationed two ways:
 * - a file is not looked at again before it can have held still for the window (an lstat of
 *   every waiting file on every pass was the watcher's main cost while files arrived);
 * - only a few files are looked at per pass (twice the free slots, plus a margin): with 10,000
 *   files waiting, an lstat of every one every 250 ms cost more CPU than processing them, and
 *   the flood ran at 8 files/s instead of 40. Names not looked at keep what was seen of them.
 */
export const EXTRA_LOOKS = 16;

export interface Seen {
  size: number;
  mtimeMs: number;
  /** The watcher's clock (epoch ms) at the look that first saw this size and mtime. */
  since: number;
}

export interface RescanPass {
  take: string[];
  /** What was seen of every name still waiting, the ones to take included (a take can be declined). */
  seen: Map<string, Seen>;
  /** When (epoch ms) a waiting file is next worth a look; null when none is (all taken or none waiting). */
  nextLookAt: number | null;
}

export async function rescanPass(
  waiting: readonly string[],
  previous: ReadonlyMap<string, Seen>,
  free: number,
  look: (name: string) => Promise<{ size: number; mtimeMs: number } | null>,
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
    if (before && now() < before.since + stabilityMs) {
      seen.set(name, before);
      lookAgainAt(before.since + stabilityMs);
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
    const unchanged = before !== undefined && before.size === st.size && before.mtimeMs === st.mtimeMs;
    const at = unchanged ? before : { size: st.size, mtimeMs: st.mtimeMs, since: now() };
    seen.set(name, at);
    if (unchanged && now() >= at.since + stabilityMs) {
      slots--;
      take.push(name);
    } else lookAgainAt(at.since + stabilityMs);
  }
  return { take, seen, nextLookAt };
}
