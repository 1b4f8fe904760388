import { describe, it, expect } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { intakeDetailed } from '../../../src/intake/index.js';
import { CopydeskError } from '../../../src/errors.js';
import { RawRecordSchema, type RawRecord } from '../../../src/schema/pipeline.js';
import { EXPECTED_DIR, readSample, sampleNames, sourceFile, streamAll } from './helpers.js';

const ExpectedRecord = z.object({
  origin: z.string(),
  kind: z.string(),
  recordId: z.string().optional(),
  hints: z.record(z.string(), z.unknown()),
  mustContain: z.array(z.string()),
  mustNotContain: z.array(z.string()),
});
const Expected = z.object({
  description: z.string(),
  intake: z.union([
    z.object({ error: z.string(), errorMessageContains: z.array(z.string()) }),
    z.object({
      format: z.string(),
      gzip: z.boolean(),
      encoding: z.string(),
      skipped: z.record(z.string(), z.number()),
      problems: z.array(z.object({ index: z.number(), code: z.string(), messageContains: z.string().optional() })),
      records: z.array(ExpectedRecord),
    }),
  ]),
  articles: z.array(z.record(z.string(), z.unknown())).optional(),
});

function expectedFor(name: string) {
  return Expected.parse(JSON.parse(readFileSync(path.join(EXPECTED_DIR, `${name}.json`), 'utf8')));
}

function checkRecords(records: RawRecord[], expected: z.infer<typeof ExpectedRecord>[]): void {
  expect(records.map((r) => r.index)).toEqual(records.map((_, i) => i));
  expect(records).toHaveLength(expected.length);
  records.forEach((record, i) => {
    const want = expected[i]!;
    RawRecordSchema.parse(record);
    expect(record.origin).toBe(want.origin);
    expect(record.kind).toBe(want.kind);
    expect(record.recordId).toBe(want.recordId);
    expect(record.hints).toMatchObject(want.hints);
    for (const phrase of want.mustContain) expect(record.content).toContain(phrase);
    for (const phrase of want.mustNotContain) expect(record.content).not.toContain(phrase);
  });
}

describe('intake golden samples', () => {
  it('every sample has an expectation and every expectation a sample', () => {
    const samples = sampleNames();
    expect(samples.length).toBeGreaterThanOrEqual(15);
    for (const name of samples) expect(existsSync(path.join(EXPECTED_DIR, `${name}.json`)), `${name} has no expectation`).toBe(true);
    for (const expectation of readdirSync(EXPECTED_DIR)) expect(samples, `${expectation} has no sample`).toContain(expectation.replace(/\.json$/, ''));
  });

  for (const name of sampleNames()) {
    it(`${name}: whole-buffer and streaming intake match the expectation`, async () => {
      const expected = expectedFor(name).intake;
      const bytes = readSample(name);
      if ('error' in expected) {
        let thrown: unknown;
        try {
          intakeDetailed(sourceFile(name, bytes), bytes);
        } catch (err) {
          thrown = err;
        }
        expect(thrown).toBeInstanceOf(CopydeskError);
        expect((thrown as CopydeskError).code).toBe(expected.error);
        for (const phrase of expected.errorMessageContains) expect((thrown as CopydeskError).message).toContain(phrase);
        await expect(streamAll(name, bytes, 97)).rejects.toMatchObject({ code: expected.error });
        return;
      }
      const result = intakeDetailed(sourceFile(name, bytes), bytes);
      expect(result.format).toBe(expected.format);
      expect(result.gzip).toBe(expected.gzip);
      expect(result.encoding).toBe(expected.encoding);
      expect(result.skipped).toEqual(expected.skipped);
      expect(result.problems.map((p) => ({ index: p.index, code: p.code }))).toEqual(expected.problems.map((p) => ({ index: p.index, code: p.code })));
      expected.problems.forEach((p, i) => p.messageContains && expect(result.problems[i]!.message).toContain(p.messageContains));
      checkRecords(result.records, expected.records);

      // The streaming driver gives the same answer whatever the chunking (cuts inside characters, tags, CRLFs).
      for (const chunkSize of [1, 13, 4096]) {
        const streamed = await streamAll(name, bytes, chunkSize);
        expect(streamed.records).toEqual(result.records);
        expect(streamed.report.skipped).toEqual(result.skipped);
        expect(streamed.report.problems).toEqual(result.problems);
        expect(streamed.report.format).toBe(result.format);
      }
    });
  }
});
