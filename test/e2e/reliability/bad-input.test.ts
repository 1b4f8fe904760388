/**
 * Bad input, dropped all at once beside good files: each bad file ends in failed/ with a typed
 * error code in <name>.error.json, each good one (odd names included) in done/ with its
 * articles stored, links never followed out of the inbox, and a file still being written is
 * not taken before its last byte.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { link, mkdir, open, readdir, readFile, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startTestRedis, type TestRedis } from '../../helpers/redis-server.js';
import { spawnCli, waitFor, type CliProcess } from '../../helpers/cli.js';
import { listDir, readArticles } from '../../helpers/out.js';
import { expectedIds, makeWorkspace, readErrorReport, SAMPLE, settledFiles, sleep, tearDownRun, waitForWatcher, type Workspace } from '../../helpers/pipeline-run.js';
import type { Article } from '../../../src/schema/article.js';

const MAX_DECOMPRESSED = 1024 * 1024;
const STABILITY_MS = 3000;

/** Name → bytes, and the code its error report must carry. */
interface BadCase {
  name: string;
  bytes: Buffer;
  code: string;
}

/** Two good rows around one broken line. */
async function jsonlWithOneBadLine(): Promise<Buffer> {
  const paragraphs = (await readFile(SAMPLE, 'utf8')).split('\n').filter((l) => l.length > 200);
  const row = (i: number) => JSON.stringify({ title: `Row ${i}: ${paragraphs[i]!.slice(0, 60)}`, url: `https://example.com/row-${i}`, content: paragraphs.slice(i, i + 3).join('\n\n') });
  return Buffer.from(`${row(0)}\n{"title": "broken row", "content": \n${row(3)}\n`);
}

async function sampleVariant(tag: string): Promise<Buffer> {
  return Buffer.from(`${await readFile(SAMPLE, 'utf8')}\nFiled as ${tag}.\n`);
}

function badCases(): BadCase[] {
  const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n%'), Buffer.from([0xe2, 0xe3, 0xcf, 0xd3]), Buffer.from('\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n')]);
  const png = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex'), Buffer.alloc(64, 7)]);
  const sampleGz = gzipSync(Buffer.from('Some headline\n\nA paragraph of text that will be cut off before the end of the stream.\n'.repeat(200)));
  const depth = 100_000;
  return [
    { name: 'empty.txt', bytes: Buffer.alloc(0), code: 'E_EMPTY_FILE' },
    { name: 'scan.pdf', bytes: pdf, code: 'E_UNSUPPORTED_FORMAT' },
    { name: 'photo.png', bytes: png, code: 'E_UNSUPPORTED_FORMAT' },
    { name: 'program', bytes: readFileSync('/bin/true'), code: 'E_UNSUPPORTED_FORMAT' },
    { name: 'truncated.txt.gz', bytes: sampleGz.subarray(0, Math.floor(sampleGz.length / 2)), code: 'E_BAD_GZIP' },
    { name: 'bomb.txt.gz', bytes: gzipSync(Buffer.alloc(16 * MAX_DECOMPRESSED, 'a')), code: 'E_DECOMPRESSED_TOO_LARGE' },
    { name: 'deep.html', bytes: Buffer.from(`<html><body>${'<div>'.repeat(depth)}deep${'</div>'.repeat(depth)}</body></html>`), code: 'E_TOO_DEEP' },
    { name: 'wrong-shape.json', bytes: Buffer.from(JSON.stringify({ temperature: 21.5, readings: [1, 2, 3], ok: true })), code: 'E_BAD_RECORD_LAYOUT' },
  ];
}

const BAD_CASES = badCases();

describe('bad input', () => {
  let ws: Workspace;
  let redis: TestRedis;
  let cli: CliProcess;
  const bad = BAD_CASES;
  const goodNames = ['good.txt', 'with spaces in the name.txt', 'ünïcødé 記事.txt', 'new\nline.txt'];
  const good = new Map<string, Buffer>();
  let outside: string;
  let expected: string[];
  let articles: Article[];
  let secretTimes: { atimeMs: number; mtimeMs: number };
  const SECRET = 'Outside the inbox: this text must never be read by the pipeline.';

  beforeAll(async () => {
    ws = await makeWorkspace('bad-input');
    redis = await startTestRedis();
    for (const n of [...goodNames, 'slow.txt', 'hard-linked.txt', 'latin1.txt']) good.set(n, await sampleVariant(n));
    good.set('rows.jsonl', await jsonlWithOneBadLine());
    // Invalid UTF-8: intake reads it as windows-1252 (src/intake/encoding.ts), so it is kept, not failed.
    good.set('latin1.txt', Buffer.concat([Buffer.from('Caf'), Buffer.from([0xe9, 0x20, 0xff, 0xfe, 0xc3, 0x28, 0x0a]), good.get('latin1.txt')!]));
    for (const n of [...goodNames, 'slow.txt', 'latin1.txt', 'rows.jsonl']) await writeFile(path.join(ws.staging, n), good.get(n)!);
    expected = expectedIds([ws.staging], { COPYDESK_MAX_DECOMPRESSED_BYTES: String(MAX_DECOMPRESSED) });

    outside = path.join(ws.root, 'outside');
    await mkdir(outside);
    await writeFile(path.join(outside, 'secret.txt'), SECRET);
    // Old times, so any read would move the access time forward (relatime updates an atime older than mtime).
    const past = Date.now() / 1000 - 3 * 86400;
    await utimes(path.join(outside, 'secret.txt'), past + 3600, past);
    const st = await stat(path.join(outside, 'secret.txt'));
    secretTimes = { atimeMs: st.atimeMs, mtimeMs: st.mtimeMs };
    await writeFile(path.join(outside, 'original.txt'), good.get('hard-linked.txt')!);

    cli = spawnCli(['start', '--inbox', ws.inbox, '--out', ws.out], {
      REDIS_URL: redis.url,
      COPYDESK_STABILITY_MS: String(STABILITY_MS),
      COPYDESK_STATE_DIR: ws.state,
      COPYDESK_MAX_DECOMPRESSED_BYTES: String(MAX_DECOMPRESSED),
    });
    await waitForWatcher(cli);

    // The slow writer starts first and keeps going while everything else lands.
    const slowBytes = good.get('slow.txt')!;
    const slowPath = path.join(ws.inbox, 'slow.txt');
    const chunks = 8;
    const chunkSize = Math.ceil(slowBytes.length / chunks);
    // A claim is early only if the file had not looked unchanged for the stability window when
    // it was claimed (the claim's time is the base-36 prefix of its name in .processing/): on a
    // loaded machine this process or its writes can stall that long, and then taking the file
    // is the right call. A write changes the file somewhere between its start and its end.
    const writes: { start: number; end: number }[] = [];
    const openStart = Date.now();
    const handle = await open(slowPath, 'w');
    writes.push({ start: openStart, end: Date.now() });
    const claimedAt = async (): Promise<number | null> => {
      const entry = (await readdir(ws.processing)).find((n) => n.endsWith('__slow.txt'));
      return entry ? parseInt(entry.slice(0, entry.length - '__slow.txt'.length - 6), 36) : null;
    };
    const writing = (async () => {
      const claimedEarly: string[] = [];
      for (let i = 0; i < chunks; i++) {
        const start = Date.now();
        await handle.write(slowBytes.subarray(i * chunkSize, (i + 1) * chunkSize));
        writes.push({ start, end: Date.now() });
        await sleep(STABILITY_MS / 10);
        if ((await readdir(ws.inbox)).includes('slow.txt')) continue;
        const at = (await claimedAt()) ?? Date.now();
        const lastChangeBefore = Math.max(...writes.filter((w) => w.end <= at).map((w) => w.start));
        if (at - lastChangeBefore < STABILITY_MS) claimedEarly.push(`after chunk ${i}: claimed ${at - lastChangeBefore} ms after a write began`);
      }
      await handle.close();
      return claimedEarly;
    })();

    for (const c of bad) await writeFile(path.join(ws.inbox, c.name), c.bytes);
    for (const n of [...goodNames, 'latin1.txt', 'rows.jsonl']) await writeFile(path.join(ws.inbox, n), good.get(n)!);
    await symlink(path.join(outside, 'secret.txt'), path.join(ws.inbox, 'link-outside.txt'));
    await link(path.join(outside, 'original.txt'), path.join(ws.inbox, 'hard-linked.txt'));

    const claimedEarly = await writing;
    expect(claimedEarly, `slow.txt was claimed while still being written:\n${cli.output().split('\n').filter((l) => l.includes('slow.txt')).join('\n')}`).toEqual([]);
    const total = bad.length + goodNames.length + 5;
    await waitFor(
      'every file settled',
      async () => (await settledFiles(ws.done)).length + (await settledFiles(ws.failed)).length >= total,
      90_000,
      250,
    );
    await sleep(300);
    articles = await readArticles(ws.out);
  }, 180_000);

  afterAll(() => tearDownRun({ cli, redis, ws }));

  for (const c of BAD_CASES) {
    it(`${c.name}: failed/ with ${c.code}`, async () => {
      expect(await settledFiles(ws.failed)).toContain(c.name);
      const report = await readErrorReport(ws.failed, c.name);
      expect(report.code, report.message).toBe(c.code);
      expect(report.message.length).toBeGreaterThan(0);
      // Bad input is not retried: it fails for good on its first attempt.
      expect(report.attempts).toBe(1);
      // Nothing a person dropped is deleted: the bytes are kept as they were.
      expect((await readFile(path.join(ws.failed, c.name))).equals(c.bytes)).toBe(true);
    });
  }

  it('good files, odd names included, reach done/ with their articles, once', async () => {
    const done = await settledFiles(ws.done);
    for (const n of [...goodNames, 'slow.txt', 'latin1.txt']) expect(done).toContain(n);
    for (const n of goodNames) expect((await readFile(path.join(ws.done, n))).equals(good.get(n)!), n).toBe(true);
    expect(articles.map((a) => a.id).sort()).toEqual(expected);
    const inboxNames = new Set(articles.map((a) => a.provenance.inboxFile));
    for (const n of goodNames) expect(inboxNames).toContain(n);
  });

  it('stores the good rows of a JSONL file and reports its bad line', async () => {
    expect(await settledFiles(ws.done)).toContain('rows.jsonl');
    expect(articles.filter((a) => a.provenance.inboxFile === 'rows.jsonl').length).toBeGreaterThanOrEqual(2);
    const report = JSON.parse(await readFile(path.join(ws.done, 'rows.jsonl.report.json'), 'utf8')) as { problems: { code: string }[] };
    expect(report.problems.map((p) => p.code)).toContain('E_BAD_JSON');
  });

  it('takes a file still being written only once it is complete', async () => {
    expect((await readFile(path.join(ws.done, 'slow.txt'))).equals(good.get('slow.txt')!)).toBe(true);
    expect(articles.filter((a) => a.provenance.inboxFile === 'slow.txt').length).toBeGreaterThan(0);
  });

  it('never follows a symlink out of the inbox', async () => {
    expect(await settledFiles(ws.failed)).toContain('link-outside.txt');
    expect((await readErrorReport(ws.failed, 'link-outside.txt')).code).toBe('E_UNSUPPORTED_FORMAT');
    const st = await stat(path.join(outside, 'secret.txt'));
    expect(await readFile(path.join(outside, 'secret.txt'), 'utf8')).toBe(SECRET);
    expect({ atimeMs: st.atimeMs, mtimeMs: st.mtimeMs }, 'the target outside was read').toEqual(secretTimes);
    expect(articles.some((a) => a.body.includes('never be read'))).toBe(false);
  });

  it('refuses a hard link to a file outside, leaving the original untouched', async () => {
    expect(await settledFiles(ws.failed)).toContain('hard-linked.txt');
    expect((await readErrorReport(ws.failed, 'hard-linked.txt')).code).toBe('E_UNSUPPORTED_FORMAT');
    expect((await readFile(path.join(outside, 'original.txt'))).equals(good.get('hard-linked.txt')!)).toBe(true);
    expect(articles.some((a) => a.provenance.inboxFile === 'hard-linked.txt')).toBe(false);
  });

  it('leaves nothing behind in the inbox or in flight, and the pipeline still runs', async () => {
    expect((await listDir(ws.inbox)).filter((n) => !['done', 'failed', '.processing'].includes(n))).toEqual([]);
    expect(await listDir(ws.processing)).toEqual([]);
    expect(cli.child.exitCode).toBeNull();
  });
});
