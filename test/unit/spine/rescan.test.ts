/**
 * The inbox scan: it looks at only a few files per pass and at none before it can have held
 * still, yet takes every stable file in time and never one still changing, whatever the file's
 * mtime says. Regression: every pass used to lstat every waiting file (and forget what it saw
 * every other pass), and 10,000 waiting files slowed the whole pipeline to 8 files/s.
 */
import { describe, expect, it, afterAll } from 'vitest';
import { appendFile, lstat, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { EXTRA_LOOKS, rescanPass, type Seen } from '../../../jobs/rescan.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function inboxOf(count: number): Promise<{ dir: string; names: string[] }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'copydesk-rescan-'));
  dirs.push(dir);
  const names = Array.from({ length: count }, (_, i) => `f${String(i).padStart(5, '0')}.txt`);
  for (const n of names) await writeFile(path.join(dir, n), 'text');
  return { dir, names };
}

function counting(dir: string) {
  let calls = 0;
  const look = (name: string) => {
    calls++;
    return lstat(path.join(dir, name)).catch(() => null);
  };
  return { look, calls: () => calls };
}

describe('inbox rescan', () => {
  it('looks at a handful of files per pass however many wait, and takes the stable ones', async () => {
    const { dir, names } = await inboxOf(2000);
    const { look, calls } = counting(dir);
    const free = 3;
    const first = await rescanPass(names, new Map(), free, look, 0);
    expect(first.take).toEqual([]); // first look: sizes unknown
    expect(calls()).toBe(free * 2 + EXTRA_LOOKS);
    const second = await rescanPass(names, first.seen, free, look, 0);
    expect(second.take).toEqual(names.slice(0, free));
    expect(calls()).toBeLessThanOrEqual(2 * (free * 2 + EXTRA_LOOKS));
  });

  it('takes every file of a flood over successive passes, each once', async () => {
    const { dir, names } = await inboxOf(300);
    const { look } = counting(dir);
    let waiting = [...names];
    let sizes = new Map<string, Seen>();
    const taken: string[] = [];
    for (let pass = 0; pass < 400 && waiting.length; pass++) {
      const r = await rescanPass(waiting, sizes, 5, look, 0);
      taken.push(...r.take);
      waiting = waiting.filter((n) => !r.take.includes(n));
      sizes = r.seen;
    }
    expect(waiting).toEqual([]);
    expect(taken.sort()).toEqual(names);
  });

  it('never takes a file whose size changed since the last look, nor one rewritten to the same size', async () => {
    const { dir, names } = await inboxOf(3);
    const { look } = counting(dir);
    const first = await rescanPass(names, new Map(), 5, look, 0);
    await appendFile(path.join(dir, names[0]!), ' more');
    await utimes(path.join(dir, names[1]!), new Date(), new Date(Date.now() - 7_000)); // same size, new mtime
    const second = await rescanPass(names, first.seen, 5, look, 0);
    expect(second.take).toEqual(names.slice(2));
    const third = await rescanPass(names, second.seen, 5, look, 0);
    expect(third.take).toEqual(names);
  });

  it('times the window on its own clock: an old mtime does not make a file being written stable, a future one does not block it', async () => {
    const { dir, names } = await inboxOf(2);
    const [old, ahead] = names as [string, string];
    // A network mount whose server clock is behind (or keeps whole seconds), and one whose clock is ahead.
    await utimes(path.join(dir, old), new Date(), new Date(Date.now() - 3_600_000));
    await utimes(path.join(dir, ahead), new Date(), new Date(Date.now() + 86_400_000));
    const { look } = counting(dir);
    let clock = 1_000_000;
    const pass = (seen: Map<string, Seen>) => rescanPass(names, seen, 5, look, 500, () => clock);
    const first = await pass(new Map());
    clock += 50; // the next scan, woken by an event
    const second = await pass(first.seen);
    expect(second.take, 'taken 50 ms after it was first seen, as if its old mtime proved it stable').toEqual([]);
    clock += 450;
    const third = await pass(second.seen);
    expect(third.take).toEqual(names);
  });

  it('takes a stable file written within the current millisecond when the window is 0 (regression: flaky)', async () => {
    const { dir, names } = await inboxOf(1);
    const file = path.join(dir, names[0]!);
    // An mtime with sub-millisecond digits, and a clock reading that same millisecond.
    await utimes(file, new Date(1_700_000_000_123), 1_700_000_000.1235);
    const mtimeMs = (await lstat(file)).mtimeMs;
    expect(mtimeMs % 1).toBeGreaterThan(0);
    const { look } = counting(dir);
    const first = await rescanPass(names, new Map(), 1, look, 0, () => Math.floor(mtimeMs));
    const second = await rescanPass(names, first.seen, 1, look, 0, () => Math.floor(mtimeMs));
    expect(second.take).toEqual(names);
  });

  it('takes nothing and looks at nothing when there is no room', async () => {
    const { dir, names } = await inboxOf(50);
    const { look, calls } = counting(dir);
    const seen = new Map(names.map((n) => [n, { size: 4, mtimeMs: 0, since: 0 }]));
    const r = await rescanPass(names, seen, 0, look, 0);
    expect(r.take).toEqual([]);
    expect(calls()).toBe(0);
    expect(r.seen).toEqual(seen); // what was seen is kept for when room comes back
  });

  it('does not look at a file again before it can have held still for the window', async () => {
    const { dir, names } = await inboxOf(20);
    const { look, calls } = counting(dir);
    const windowMs = 60_000;
    const t0 = 1_000_000;
    const first = await rescanPass(names, new Map(), 50, look, windowMs, () => t0);
    expect(calls()).toBe(names.length);
    expect(first.nextLookAt).toBe(t0 + windowMs);
    // Passes within the window (woken by other files' events) cost no look at these.
    for (let i = 1; i < 6; i++) {
      const again = await rescanPass(names, first.seen, 50, look, windowMs, () => t0 + 1_000 * i);
      expect(again.take).toEqual([]);
    }
    expect(calls()).toBe(names.length);
    const due = await rescanPass(names, first.seen, 50, look, windowMs, () => t0 + windowMs);
    expect(due.take).toEqual(names);
    expect(calls()).toBe(2 * names.length);
    expect(due.nextLookAt).toBeNull();
  });

  it('asks for a prompt next look at files it had no budget for', async () => {
    const { dir, names } = await inboxOf(40);
    const { look, calls } = counting(dir);
    const t0 = 1_000_000;
    const some = await rescanPass(names, new Map(), 2, look, 1_000, () => t0);
    expect(some.seen.size).toBe(2 * 2 + EXTRA_LOOKS); // looked at: due at t0 + 1,000
    expect(some.nextLookAt).toBe(t0); // the rest: now
    const none = await rescanPass(names, new Map(), 0, look, 1_000, () => t0);
    expect(calls()).toBe(2 * 2 + EXTRA_LOOKS);
    expect(none.nextLookAt).toBe(t0);
  });

  it('remembers the files it takes, so a take the watcher declines (no room after all) does not restart their window', async () => {
    const { dir, names } = await inboxOf(2);
    const { look } = counting(dir);
    let clock = 1_000_000;
    const first = await rescanPass(names, new Map(), 5, look, 500, () => clock);
    clock += 500;
    const second = await rescanPass(names, first.seen, 5, look, 500, () => clock);
    expect(second.take).toEqual(names);
    expect([...second.seen.keys()]).toEqual(names);
    clock += 50; // neither was claimed: both still wait
    const third = await rescanPass(names, second.seen, 5, look, 500, () => clock);
    expect(third.take).toEqual(names);
  });
});
