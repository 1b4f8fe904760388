/**
 * One pass of the inbox rescan: which waiting files to take now. Input: the waiting names
 * (sorted), the sizes seen at the previous pass, the free slots, a way to look at a file.
 * Output: the names to take and the sizes to remember. A file is taken when its size has not
 * changed since the previous look and it has not been modified for the stability window.
 *
 * Only a few files are looked at per pass (twice the free slots, plus a margin): with 10,000
 * files waiting, an lstat of every one every 250 ms cost more CPU than processing them, and
 * the flood ran at 8 files/s instead of 40. Names not looked at keep their previous size.
 */
export const EXTRA_LOOKS = 16;

export interface RescanPass {
  take: string[];
  sizes: Map<string, number>;
}

export async function rescanPass(
  waiting: readonly string[],
  previous: ReadonlyMap<string, number>,
  free: number,
  look: (name: string) => Promise<{ size: number; mtimeMs: number } | null>,
  stabilityMs: number,
  now: () => number = Date.now,
): Promise<RescanPass> {
  const take: string[] = [];
  const sizes = new Map<string, number>();
  let slots = Math.max(0, free);
  let looks = slots * 2 + EXTRA_LOOKS;
  for (const name of waiting) {
    const before = previous.get(name);
    if (slots <= 0 || looks <= 0) {
      if (before !== undefined) sizes.set(name, before);
      continue;
    }
    looks--;
    const st = await look(name);
    if (!st) continue;
    // At the clock's resolution: an mtime has sub-millisecond digits that Date.now() lacks, so a
    // file written within the current millisecond would look modified in the future.
    if (before === st.size && now() - Math.floor(st.mtimeMs) >= stabilityMs) {
      slots--;
      take.push(name);
    } else sizes.set(name, st.size);
  }
  return { take, sizes };
}
