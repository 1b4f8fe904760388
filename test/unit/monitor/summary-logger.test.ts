/** The per-stage summary log line: one per stage per interval, with totals and the rate. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import pino from 'pino';
import { startSummaryLogger, summaryLine } from '../../../jobs/monitor/summary-logger.js';
import { createFixture, fileData, waitFor, type Fixture } from './fixture.js';

interface LogLine {
  msg: string;
  summary: { stage: string; processed: number; ratePerMinute: number | null; dropped: Record<string, number> };
}

describe('startSummaryLogger', () => {
  let fx: Fixture;

  beforeEach(async () => {
    fx = await createFixture();
  });

  afterEach(async () => {
    await fx?.cleanup();
  });

  it('logs one line per stage at every interval, then stops', async () => {
    const lines: LogLine[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        for (const l of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(l) as LogLine);
        done();
      },
    });
    await fx.stats.countMany('split', { processed: 10, dropped_too_short: 3, failed: 1 });
    await fx.queues.dedupe.add('dedupe', fileData('w.txt'));
    const stop = startSummaryLogger({ stats: fx.stats, queues: fx.queues, logger: pino({ level: 'info' }, sink), intervalMs: 150 });

    await waitFor('the first round', async () => lines.length >= 6);
    await fx.stats.count('split', 'processed', 5);
    await waitFor('the second round', async () => lines.length >= 12);
    await stop();
    const count = lines.length;

    const first = lines.slice(0, 6);
    expect(first.map((l) => l.summary.stage)).toEqual(['intake', 'clean', 'split', 'dedupe', 'classify', 'store']);
    expect(first[2]!.msg).toBe('split: processed 10, dropped too_short 3, failed 1, waiting 0, active 0');
    expect(first[3]!.msg).toBe('dedupe: processed 0, dropped 0, failed 0, waiting 1, active 0');
    const secondSplit = lines.slice(6, 12).find((l) => l.summary.stage === 'split')!;
    expect(secondSplit.summary.processed).toBe(15);
    expect(secondSplit.summary.ratePerMinute).toBeGreaterThan(0);
    expect(secondSplit.msg).toMatch(/^split: processed 15, \d+(\.\d)?\/min, dropped too_short 3/);

    await new Promise((r) => setTimeout(r, 400));
    expect(lines.length).toBe(count);
  });

  it('formats a rate when there is one', () => {
    expect(summaryLine({ stage: 'clean', processed: 120, failed: 2, dropped: { empty: 4, too_short: 9 }, waiting: 3, active: 1, ratePerMinute: 60 })).toBe(
      'clean: processed 120, 60.0/min, dropped too_short 9, empty 4, failed 2, waiting 3, active 1',
    );
  });
});
