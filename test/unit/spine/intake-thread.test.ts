/**
 * Intake's parsing in its thread (jobs/intake-pool.ts): the same records, report and errors as
 * in the event loop; a step that runs past the time budget fails its file with E_TIME_BUDGET
 * instead of freezing the process; the thread is replaced and serves the next file.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { pooledCpuStages } from '../../../jobs/cpu-pool.js';
import type { CpuStages } from '../../../jobs/cpu-stages.js';
import { intakeLimits } from '../../../jobs/stage-deps.js';
import { loadConfig } from '../../../src/config.js';
import { CopydeskError, ERROR_CODES, isPermanent } from '../../../src/errors.js';
import { intakeStream, type IntakeStream } from '../../../src/intake/index.js';
import type { RawRecord } from '../../../src/schema/pipeline.js';
import { chunked, readSample, sampleNames, sourceFile } from '../intake/helpers.js';
import { runawayAuthorLine } from '../../helpers/pathological.js';

const logger = pino({ level: 'silent' });
const BUDGET_MS = 1000;

function config(budgetMs = BUDGET_MS) {
  return loadConfig({}, { inbox: '/tmp/unused-inbox', out: '/tmp/unused-out', docTimeBudgetMs: budgetMs });
}

type Outcome = { records: RawRecord[]; report: IntakeStream['report'] } | { code: string; permanent: boolean };

async function outcome(stream: IntakeStream): Promise<Outcome> {
  const records: RawRecord[] = [];
  try {
    for await (const r of stream) records.push(r);
    return { records, report: stream.report };
  } catch (err) {
    return { code: (err as CopydeskError).code, permanent: isPermanent(err) };
  }
}

/** Rows of a JSON lines file of about `bytes` bytes. */
function bigJsonl(bytes: number): Buffer {
  const rows: string[] = [];
  for (let i = 0, size = 0; size < bytes; i++) {
    const row = JSON.stringify({ id: `r${i}`, url: `https://x.example/${i}`, title: `Story ${i}`, author: 'Ann Lee; Bo Chan', text: `Body of story ${i}, with “quotes” — and a Ã© to repair.` });
    rows.push(row);
    size += row.length + 1;
  }
  return Buffer.from(`${rows.join('\n')}\n`);
}

describe('intake in its thread', () => {
  const open: CpuStages[] = [];
  const stages = (budgetMs?: number) => {
    const s = pooledCpuStages(config(budgetMs), logger);
    open.push(s);
    return s;
  };
  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.close()));
  });

  it('gives every sample, and a multi-step file, the same records, report and errors as the event loop', async () => {
    const threaded = stages(30_000);
    const limits = intakeLimits(config());
    const inputs: [string, Buffer][] = [...sampleNames().map((n) => [n, readSample(n)] as [string, Buffer]), ['big.jsonl', bigJsonl(3_500_000)], ['empty.txt', Buffer.alloc(0)]];
    for (const [name, bytes] of inputs) {
      for (const chunk of [bytes.length || 1, 4096]) {
        const inline = await outcome(intakeStream(sourceFile(name, bytes), chunked(bytes, chunk), limits));
        // A copy: the thread takes over the chunks it is given (their buffers are moved, not copied).
        const inThread = await outcome(threaded.intakeStream(sourceFile(name, bytes), chunked(Buffer.from(bytes), chunk)));
        expect(inThread, `${name} in ${chunk}-byte chunks`).toEqual(inline);
        if (name === 'big.jsonl') expect('records' in inThread && inThread.records.length).toBeGreaterThan(20_000);
      }
    }
  });

  it('fails a file whose parsing runs away with E_TIME_BUDGET, then serves the next file', async () => {
    const threaded = stages();
    await threaded.warm(['intake']);
    // ~300,000 blanks: about a minute of backtracking in one step (see test/helpers/pathological.ts).
    const runaway = Buffer.from(`${runawayAuthorLine(300_000)}\n`);
    const started = Date.now();
    const failed = await outcome(threaded.intakeStream(sourceFile('runaway.jsonl', runaway), chunked(runaway, runaway.length)));
    expect(failed).toEqual({ code: ERROR_CODES.TIME_BUDGET, permanent: true });
    expect(Date.now() - started).toBeLessThan(BUDGET_MS + 5000);

    const good = readSample('crawl.jsonl');
    const next = await outcome(threaded.intakeStream(sourceFile('crawl.jsonl', good), chunked(good, good.length)));
    expect(next).toEqual(await outcome(intakeStream(sourceFile('crawl.jsonl', good), chunked(good, good.length))));
  });

  it('a file read alongside loses its parse with the replaced thread and fails as transient, to be read again', async () => {
    const threaded = stages();
    const big = bigJsonl(3_500_000);
    const alongside = threaded.intakeStream(sourceFile('big.jsonl', big), chunked(big, 65_536));
    const iterator = alongside[Symbol.asyncIterator]();
    expect((await iterator.next()).done).toBe(false); // its parse is open in the thread

    const runaway = Buffer.from(`${runawayAuthorLine(300_000)}\n`);
    expect(await outcome(threaded.intakeStream(sourceFile('runaway.jsonl', runaway), chunked(runaway, runaway.length)))).toEqual({ code: ERROR_CODES.TIME_BUDGET, permanent: true });

    const err = await (async () => {
      for (;;) if ((await iterator.next()).done) return undefined;
    })().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CopydeskError);
    expect((err as CopydeskError).code).toBe(ERROR_CODES.STAGE_CRASH);
    expect(isPermanent(err)).toBe(false);
  });
});
