/**
 * The inbox rescan under a flood: it looks at only a few files per pass, yet takes every
 * stable file in time and never one still changing. Regression: every pass used to lstat
 * every waiting file (and forget what it saw every other pass), and 10,000 waiting files
 * slowed the whole pipeline to 8 files/s.
 */
import { describe, expect, it, afterAll } from 'vitest';
import { appendFile, lstat, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { EXTRA_LOOKS, rescanPass } from '../../../jobs/rescan.js';

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
    const second = await rescanPass(names, first.sizes, free, look, 0);
    expect(second.take).toEqual(names.slice(0, free));
    expect(calls()).toBeLessThanOrEqual(2 * (free * 2 + EXTRA_LOOKS));
  });

  it('takes every file of a flood over successive passes, each once', async () => {
    const { dir, names } = await inboxOf(300);
    const { look } = counting(dir);
    let waiting = [...names];
    let sizes = new Map<string, number>();
    const taken: string[] = [];
    for (let pass = 0; pass < 400 && waiting.length; pass++) {
      const r = await rescanPass(waiting, sizes, 5, look, 0);
      taken.push(...r.take);
      waiting = waiting.filter((n) => !r.take.includes(n));
      sizes = r.sizes;
    }
    expect(waiting).toEqual([]);
    expect(taken.sort()).toEqual(names);
  });

  it('never takes a file whose size changed since the last look, nor one modified within the window', async () => {
    const { dir, names } = await inboxOf(3);
    const { look } = counting(dir);
    const first = await rescanPass(names, new Map(), 5, look, 0);
    await appendFile(path.join(dir, names[0]!), ' more');
    const second = await rescanPass(names, first.sizes, 5, look, 0);
    expect(second.take).toEqual(names.slice(1));
    const recent = await rescanPass(names, first.sizes, 5, look, 60_000);
    expect(recent.take).toEqual([]);
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
    const second = await rescanPass(names, first.sizes, 1, look, 0, () => Math.floor(mtimeMs));
    expect(second.take).toEqual(names);
  });

  it('takes nothing and looks at nothing when there is no room', async () => {
    const { dir, names } = await inboxOf(50);
    const { look, calls } = counting(dir);
    const seen = new Map(names.map((n) => [n, 4]));
    const r = await rescanPass(names, seen, 0, look, 0);
    expect(r.take).toEqual([]);
    expect(calls()).toBe(0);
    expect(r.sizes).toEqual(seen); // what was seen is kept for when room comes back
  });
});
