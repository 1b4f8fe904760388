/**
 * Pathological documents under the per-document time budget, end to end: a file whose intake
 * parsing would backtrack for about ten minutes, and documents on which clean would take
 * minutes, each fail alone with E_TIME_BUDGET (typed, in failed/<name>.error.json or in the
 * file's report) within seconds, while the good files dropped after them are processed
 * normally by the same worker process.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { startTestRedis, type TestRedis } from '../../helpers/redis-server.js';
import { spawnCli, waitFor, type CliProcess } from '../../helpers/cli.js';
import { listDir, readArticles } from '../../helpers/out.js';
import { dropInto, expectedIds, isAlive, makeWorkspace, readErrorReport, settledFiles, tearDownRun, waitForWatcher, type Workspace, writeSampleVariants } from '../../helpers/pipeline-run.js';
import { runawayAuthorLine, runawayHeadingText } from '../../helpers/pathological.js';
import type { Article } from '../../../src/schema/article.js';

const BUDGET_MS = 2000;

interface Report {
  stored: number;
  failed: number;
  problems: { stage: string; key: string; code: string; message: string }[];
}

/** Rows about distinct stories; `bad` (0-based) carries the runaway heading instead. */
function mixedJsonl(rows: number, bad: number): string {
  const lines: string[] = [];
  for (let i = 0; i < rows; i++) {
    const content =
      i === bad
        ? runawayHeadingText(600_000, 'row')
        : [
            `Council approves budget for district ${i} schools after a long debate on Tuesday evening in the town hall.`,
            `The plan adds ${20 + i} teachers and repairs the roofs of ${3 + i} buildings, the council said, and parents welcomed the decision.`,
            `Opposition members said the district ${i} money should have gone to transport, but the vote passed by a wide margin.`,
          ].join('\n\n');
    lines.push(JSON.stringify({ id: `row-${i}`, title: `District ${i} budget approved`, url: `https://news.example/district-${i}`, content }));
  }
  return `${lines.join('\n')}\n`;
}

describe('the per-document time budget, end to end', () => {
  let ws: Workspace;
  let redis: TestRedis;
  let cli: CliProcess;
  let goodNames: string[];
  let expected: string[];
  let articles: Article[];
  let settledAfterMs: number;

  beforeAll(async () => {
    ws = await makeWorkspace('time-budget');
    redis = await startTestRedis();
    goodNames = await writeSampleVariants(ws.staging, 3, 'good');
    expected = expectedIds([ws.staging]);
    await writeFile(path.join(ws.staging, 'runaway-intake.jsonl'), `${runawayAuthorLine(1_000_000)}\n`);
    await writeFile(path.join(ws.staging, 'runaway-clean.txt'), runawayHeadingText(600_000, 'file'));
    await writeFile(path.join(ws.staging, 'mixed.jsonl'), mixedJsonl(4, 2));

    cli = spawnCli(['start', '--inbox', ws.inbox, '--out', ws.out], {
      REDIS_URL: redis.url,
      COPYDESK_STABILITY_MS: '100',
      COPYDESK_STATE_DIR: ws.state,
      COPYDESK_DOC_TIME_BUDGET_MS: String(BUDGET_MS),
    });
    await waitForWatcher(cli);

    const started = Date.now();
    await dropInto(ws.inbox, ws.staging, ['runaway-intake.jsonl', 'runaway-clean.txt', 'mixed.jsonl']);
    // The good files come once the runaway ones are being read, so they would queue behind a frozen worker.
    await waitFor('the runaway files claimed', async () => (await listDir(ws.inbox)).filter((n) => n.startsWith('runaway')).length === 0, 20_000, 50);
    await dropInto(ws.inbox, ws.staging, goodNames);
    await waitFor(
      'every file settled',
      async () => (await settledFiles(ws.done)).length + (await settledFiles(ws.failed)).length === goodNames.length + 3,
      60_000,
      200,
    ).catch((err: Error) => {
      throw new Error(`${err.message}\n${cli.output().slice(-3000)}`);
    });
    settledAfterMs = Date.now() - started;
    articles = await readArticles(ws.out);
  }, 120_000);

  afterAll(() => tearDownRun({ cli, redis, ws }));

  it('fails the file whose intake parsing runs away with E_TIME_BUDGET, at once', async () => {
    expect(await settledFiles(ws.failed)).toContain('runaway-intake.jsonl');
    const report = await readErrorReport(ws.failed, 'runaway-intake.jsonl');
    expect(report.code, report.message).toBe('E_TIME_BUDGET');
    expect(report.stage).toBe('intake');
    expect(report.attempts).toBe(1);
    expect(articles.some((a) => a.provenance.inboxFile === 'runaway-intake.jsonl')).toBe(false);
  });

  it('fails a file whose only document runs away in clean with E_TIME_BUDGET', async () => {
    expect(await settledFiles(ws.failed)).toContain('runaway-clean.txt');
    const report = await readErrorReport(ws.failed, 'runaway-clean.txt');
    expect(report.code, report.message).toBe('E_TIME_BUDGET');
    expect(report.stage).toBe('clean');
  });

  it('stores the other rows of a file with one runaway row, and reports that row', async () => {
    expect(await settledFiles(ws.done)).toContain('mixed.jsonl');
    const report = JSON.parse(await readFile(path.join(ws.done, 'mixed.jsonl.report.json'), 'utf8')) as Report;
    expect(report.failed).toBe(1);
    expect(report.problems).toEqual([expect.objectContaining({ stage: 'clean', key: 'r2', code: 'E_TIME_BUDGET' })]);
    const titles = articles.filter((a) => a.provenance.inboxFile === 'mixed.jsonl').map((a) => a.title).sort();
    expect(titles).toEqual(['District 0 budget approved', 'District 1 budget approved', 'District 3 budget approved']);
  });

  it('processes the good files dropped after them normally, in the same worker, long before a runaway would end', async () => {
    expect(await settledFiles(ws.done)).toEqual(expect.arrayContaining(goodNames));
    const good = articles.filter((a) => goodNames.includes(a.provenance.inboxFile)).map((a) => a.id).sort();
    expect(good).toEqual(expected);
    // The intake runaway alone is ~10 minutes of backtracking, the clean ones minutes each.
    expect(settledAfterMs).toBeLessThan(60_000);
    expect(await listDir(ws.processing)).toEqual([]);
    expect(isAlive(cli.child)).toBe(true);
  });
});
