import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, readdir, readFile, rm, writeFile, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { Inbox, claimTime, isIgnoredName } from '../../../jobs/inbox.js';
import { loadConfig } from '../../../src/config.js';

describe('Inbox', () => {
  let dir: string;
  let inbox: Inbox;
  let config: ReturnType<typeof loadConfig>;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'copydesk-inbox-'));
    config = loadConfig({}, { inbox: path.join(dir, 'inbox') });
    inbox = new Inbox(config);
    await inbox.ensureDirs();
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('ignores hidden and partial files', () => {
    for (const n of ['.hidden', 'a.part', 'b.tmp', 'c.crdownload', 'd.TMP']) expect(isIgnoredName(n), n).toBe(true);
    for (const n of ['article.txt', 'dump.jsonl.gz', 'page.html', 'name with spaces.txt']) expect(isIgnoredName(n), n).toBe(false);
  });

  it('lists only ready files, not folders', async () => {
    await writeFile(path.join(config.inbox, 'a.txt'), 'x');
    await writeFile(path.join(config.inbox, 'b.part'), 'x');
    await writeFile(path.join(config.inbox, '.c'), 'x');
    expect(await inbox.waiting()).toEqual(['a.txt']);
  });

  it('claims a file even when .processing/ went missing under it (the inbox made again), and counts nothing in flight there (regression: the file waited for ever, unlogged)', async () => {
    await rm(config.processingDir, { recursive: true });
    expect(await inbox.inFlight()).toBe(0);
    await writeFile(path.join(config.inbox, 'a.txt'), 'x');
    const claimed = await inbox.claimPath('a.txt');
    expect(claimed).not.toBeNull();
    expect(await readdir(config.processingDir)).toEqual([path.basename(claimed!)]);
    expect(await inbox.claimPath('a.txt'), 'a file already gone is someone else\'s claim').toBeNull();
  });

  it('fails loudly when .processing/ cannot be read, rather than counting nothing in flight', async () => {
    await rm(config.processingDir, { recursive: true });
    await writeFile(config.processingDir, 'not a folder');
    await expect(inbox.inFlight()).rejects.toMatchObject({ code: 'ENOTDIR' });
  });

  it('tells when a claimed file was claimed from its name', async () => {
    await writeFile(path.join(config.inbox, 'a__b.txt'), 'x');
    const before = Date.now();
    const claimed = await inbox.claimPath('a__b.txt');
    const at = claimTime(claimed!);
    expect(at).toBeGreaterThanOrEqual(before);
    expect(at).toBeLessThanOrEqual(Date.now());
    expect(claimTime(path.join(config.processingDir, 'a__b.txt'))).toBeNull();
  });

  it('lets exactly one of two claimers win a file, and hashes its bytes', async () => {
    await writeFile(path.join(config.inbox, 'a.txt'), 'hello');
    const [x, y] = await Promise.all([inbox.claim('a.txt'), inbox.claim('a.txt')]);
    const winners = [x, y].filter(Boolean);
    expect(winners).toHaveLength(1);
    expect(winners[0]!.sha256).toBe(createHash('sha256').update('hello').digest('hex'));
    expect(await readdir(config.inbox)).not.toContain('a.txt');
  });

  it('moves to done/ and failed/ without overwriting, with the error report', async () => {
    for (const round of [1, 2]) {
      await writeFile(path.join(config.inbox, 'a.txt'), `round ${round}`);
      const c = (await inbox.claim('a.txt'))!;
      await inbox.moveToDone(c.claimedPath, c.name);
    }
    expect((await readdir(config.doneDir)).sort()).toEqual(['a (1).txt', 'a.txt']);
    await writeFile(path.join(config.inbox, 'bad.pdf'), '%PDF');
    const c = (await inbox.claim('bad.pdf'))!;
    await inbox.moveToFailed(c.claimedPath, c.name, { file: 'bad.pdf', sha256: c.sha256, code: 'E_UNSUPPORTED_FORMAT', message: 'pdf', stage: 'intake', attempts: 1, time: new Date().toISOString() });
    const report = JSON.parse(await readFile(path.join(config.failedDir, 'bad.pdf.error.json'), 'utf8'));
    expect(report.code).toBe('E_UNSUPPORTED_FORMAT');
    expect(await inbox.counts()).toEqual({ inbox: 0, processing: 0, done: 2, failed: 1 });
  });

  it('claims a symlink as a link, without reading what it points to', async () => {
    const outside = path.join(dir, 'secret.txt');
    await writeFile(outside, 'secret');
    await symlink(outside, path.join(config.inbox, 'link.txt'));
    const c = (await inbox.claim('link.txt'))!;
    expect(c.isSymlink).toBe(true);
    expect(c.sha256).not.toBe(createHash('sha256').update('secret').digest('hex'));
    expect(await readFile(outside, 'utf8')).toBe('secret');
  });
});
