/**
 * The time window of a dedupe index. Entries older than `windowMs` are never matched; their
 * memory is reclaimed a slice or so later, because the index keeps its entries in `slices`
 * time slices per window and drops whole slices (Redis: a bucket key's fields are tagged with
 * their slice; a dead slice's fields go on the key's next write, or with the key's expiry; no
 * per-entry bookkeeping). Lookups read every slice that can still hold a live entry.
 */
import { z } from 'zod';

export const DAY_MS = 86_400_000;

export const IndexWindowSchema = z.object({
  windowMs: z.number().int().positive().default(90 * DAY_MS),
  slices: z.number().int().min(1).max(32).default(2),
  /**
   * The clock, injectable so tests can move time; read in whole milliseconds (the Redis index
   * hands it to PEXPIREAT, which refuses a fraction).
   */
  now: z
    .custom<() => number>((v) => typeof v === 'function')
    .default(() => () => Date.now())
    .transform((clock) => () => Math.floor(clock())),
});
export type IndexWindow = z.infer<typeof IndexWindowSchema>;
export type IndexWindowInput = z.input<typeof IndexWindowSchema>;

export function sliceSpan(w: IndexWindow): number {
  return Math.max(1, Math.ceil(w.windowMs / w.slices));
}

/** The slices a lookup at `now` must read, oldest first. */
export function liveSlices(w: IndexWindow, now: number): number[] {
  const span = sliceSpan(w);
  const out: number[] = [];
  for (let s = Math.floor((now - w.windowMs) / span); s <= Math.floor(now / span); s++) out.push(s);
  return out;
}

export function isLive(w: IndexWindow, at: number, now: number): boolean {
  return now - at < w.windowMs;
}
