/**
 * Broken WARCs and 200 MB single-line files through `copydesk start`, beside good files:
 * - a WARC cut off mid-record, or with a garbage header after good records: the records
 *   before the break are stored and the break is in the file's report (partial success, as
 *   src/intake/README.md documents for WARC damage after the first record);
 * - a WARC whose first header is garbage: failed/ with E_BAD_WARC;
 * - a .warc.gz with a corrupt member, or cut mid-member: failed/ with E_BAD_GZIP (gzip damage
 *   is a whole-file error);
 * - a 200 MB file that is one line (.txt, .jsonl): failed/ with E_INVALID_RECORD, read as a
 *   stream, so the worker's peak memory grows by far less than the file;
 * - the good files dropped with them: done/, every article stored once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, open, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { startTestRedis, type TestRedis } from '../../helpers/redis-server.js';
import { spawnCli, waitFor, type CliProcess } from '../../helpers/cli.js';
import { listDir, readArticles } from '../../helpers/out.js';
import { expectedIds, isAlive, makeWorkspace, readErrorReport, SAMPLE, settledFiles, tearDownRun, waitForWatcher, type Workspace } from '../../helpers/pipeline-run.js';
import { gzipMembers, warcResponse } from '../../helpers/warc.js';
import type { Article } from '../../../src/schema/article.js';

const LINE_BYTES = 200 * 1024 * 1024;

interface Report {
  problems: { stage: string; key: string; code: string; message: string }[];
}

/** Peak resident set size of a live process in KiB (Linux VmHWM), or undefined once it has gone. */
async function peakRssKiB(pid: number): Promise<number | undefined> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const m = /^VmHWM:\s+(\d+)\s+kB/m.exec(status);
  return m ? Number(m[1]) : undefined;
}

/** A file of `bytes` bytes that is one line: `prefix`, then words, then `suffix` and a newline. Written in 1 MiB pieces. */
async function writeOneLine(file: string, bytes: number, prefix: string, suffix: string): Promise<void> {
  const handle = await open(file, 'w');
  try {
    await handle.write(prefix);
    const piece = Buffer.from('word '.repeat(1024 * 1024 / 5));
    let left = bytes - prefix.length - suffix.length - 1;
    while (left > 0) {
      const n = Math.min(left, piece.length);
      await handle.write(piece.subarray(0, n));
      left -= n;
    }
    await handle.write(`${suffix}\n`);
  } finally {
    await handle.close();
  }
}

describe('broken WARCs and 200 MB lines', () => {
  let ws: Workspace;
  let redis: TestRedis;
  let cli: CliProcess;
  let expected: string[];
  let articles: Article[];
  let peakBefore: number;
  let peakAfter: number;
  const failedCases: Record<string, string> = {
    'garbage-first.warc': 'E_BAD_WARC',
    'bad-member.warc.gz': 'E_BAD_GZIP',
    'cut-member.warc.gz': 'E_BAD_GZIP',
    'one-line.txt': 'E_INVALID_RECORD',
    'one-line.jsonl': 'E_INVALID_RECORD',
  };
  const doneFiles = ['truncated.warc', 'garbage-middle.warc', 'good.warc', 'good.txt'];

  beforeAll(async () => {
    ws = await makeWorkspace('broken-archives');
    redis = await startTestRedis();
    const broken = path.join(ws.root, 'broken');
    await mkdir(broken);
    const page = (i: number) => warcResponse(i);
    // Every file has its own pages: a page in two files would be a duplicate, not an article of each.
    const cut = page(13);
    await writeFile(path.join(ws.staging, 'truncated.warc'), Buffer.concat([page(10), page(11), page(12), cut.subarray(0, Math.floor(cut.length * 0.6))]));
    await writeFile(path.join(ws.staging, 'garbage-middle.warc'), Buffer.concat([page(20), page(21), Buffer.from('WARC/1.0\r\nWARC-Type: response\r\nContent-Length: banana\r\n\r\n'), page(23), page(24)]));
    await writeFile(path.join(ws.staging, 'good.warc'), Buffer.concat([0, 1, 2, 3, 4].map(page)));
    await writeFile(path.join(ws.staging, 'good.txt'), await readFile(SAMPLE));
    await writeFile(path.join(broken, 'garbage-first.warc'), Buffer.concat([Buffer.from('GARBAGE/9.9 this is no WARC header\r\nFoo: bar\r\n\r\n'), page(30), page(31), page(32)]));
    const members = gzipMembers([40, 41, 42, 43, 44].map(page));
    const corrupt = Buffer.from(members[3]!);
    corrupt.fill(0x55, 20, corrupt.length - 12);
    await writeFile(path.join(broken, 'bad-member.warc.gz'), Buffer.concat([members[0]!, members[1]!, members[2]!, corrupt, members[4]!]));
    await writeFile(path.join(broken, 'cut-member.warc.gz'), Buffer.concat([members[0]!, members[1]!, members[2]!.subarray(0, 40)]));
    await writeOneLine(path.join(broken, 'one-line.txt'), LINE_BYTES, 'A headline that never ends ', '.');
    await writeOneLine(path.join(broken, 'one-line.jsonl'), LINE_BYTES, '{"title": "one line", "content": "', '"}');
    expected = expectedIds([ws.staging]);

    cli = spawnCli(['start', '--inbox', ws.inbox, '--out', ws.out], { REDIS_URL: redis.url, COPYDESK_STABILITY_MS: '100', COPYDESK_STATE_DIR: ws.state });
    await waitForWatcher(cli);
    const settled = async (n: number) =>
      waitFor('every file settled', async () => (await settledFiles(ws.done)).length + (await settledFiles(ws.failed)).length === n, 60_000, 200).catch((err: Error) => {
        throw new Error(`${err.message}\n${cli.output().slice(-3000)}`);
      });
    // A first good file warms the worker up (stages, threads, heap), so the peak after it is the baseline.
    await rename(path.join(ws.staging, 'good.txt'), path.join(ws.inbox, 'good.txt'));
    await settled(1);
    peakBefore = (await peakRssKiB(cli.child.pid!))!;
    // Renamed in (same file system): the 200 MB files appear whole, and are never read by this process.
    for (const name of Object.keys(failedCases)) await rename(path.join(broken, name), path.join(ws.inbox, name));
    for (const name of doneFiles.filter((n) => n !== 'good.txt')) await rename(path.join(ws.staging, name), path.join(ws.inbox, name));
    await settled(doneFiles.length + Object.keys(failedCases).length);
    peakAfter = (await peakRssKiB(cli.child.pid!))!;
    articles = await readArticles(ws.out);
  }, 120_000);

  afterAll(() => tearDownRun({ cli, redis, ws }));

  for (const [name, code] of Object.entries({
    'garbage-first.warc': 'E_BAD_WARC',
    'bad-member.warc.gz': 'E_BAD_GZIP',
    'cut-member.warc.gz': 'E_BAD_GZIP',
    'one-line.txt': 'E_INVALID_RECORD',
    'one-line.jsonl': 'E_INVALID_RECORD',
  })) {
    it(`${name}: failed/ with ${code}, nothing stored`, async () => {
      expect(await settledFiles(ws.failed)).toContain(name);
      const report = await readErrorReport(ws.failed, name);
      expect(report.code, report.message).toBe(code);
      expect(report.stage).toBe('intake');
      expect(report.attempts).toBe(1);
      expect(articles.some((a) => a.provenance.inboxFile === name)).toBe(false);
    });
  }

  it('a WARC cut off mid-record: the records before the cut stored, the cut reported', async () => {
    expect(await settledFiles(ws.done)).toContain('truncated.warc');
    const urls = articles.filter((a) => a.provenance.inboxFile === 'truncated.warc').map((a) => a.url).sort();
    expect(urls).toEqual([10, 11, 12].map((i) => `https://news.example/tram-${i}`));
    const report = JSON.parse(await readFile(path.join(ws.done, 'truncated.warc.report.json'), 'utf8')) as Report;
    expect(report.problems).toEqual([expect.objectContaining({ stage: 'intake', key: 'r3', code: 'E_BAD_WARC', message: expect.stringContaining('truncated') })]);
  });

  it('a garbage header after good records: those records stored, the rest reported as not read', async () => {
    expect(await settledFiles(ws.done)).toContain('garbage-middle.warc');
    const urls = articles.filter((a) => a.provenance.inboxFile === 'garbage-middle.warc').map((a) => a.url).sort();
    expect(urls).toEqual([20, 21].map((i) => `https://news.example/tram-${i}`));
    const report = JSON.parse(await readFile(path.join(ws.done, 'garbage-middle.warc.report.json'), 'utf8')) as Report;
    expect(report.problems).toEqual([expect.objectContaining({ stage: 'intake', key: 'r2', code: 'E_BAD_WARC', message: expect.stringContaining('not read') })]);
  });

  it('the good files beside them are processed normally: every expected article, once', async () => {
    expect(await settledFiles(ws.done)).toEqual(expect.arrayContaining(['good.warc', 'good.txt']));
    const ids = articles.map((a) => a.id).sort();
    expect(ids).toEqual(expected);
    expect(await listDir(ws.processing)).toEqual([]);
    expect(isAlive(cli.child)).toBe(true);
  });

  it("the 200 MB lines are streamed: the worker's peak memory grows by far less than one of them", () => {
    const grownMiB = (peakAfter - peakBefore) / 1024;
    expect(grownMiB, `peak RSS ${Math.round(peakBefore / 1024)} → ${Math.round(peakAfter / 1024)} MiB`).toBeLessThan(LINE_BYTES / 1024 / 1024 / 2);
  });
});
