/**
 * Random bytes and random truncations/corruptions of every sample, through every parser
 * (whole-buffer and streaming, detected format and every forced format): each run must end
 * with records or a CopydeskError — never another exception, never a hang.
 */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import zlib from 'node:zlib';
import { intakeDetailed, intakeStream, DEFAULT_INTAKE_LIMITS } from '../../../src/intake/index.js';
import { CopydeskError } from '../../../src/errors.js';
import { openParser } from '../../../src/intake/parsers.js';
import { RecordCollector } from '../../../src/intake/collector.js';
import { emptyReport, type IntakeFormat } from '../../../src/intake/types.js';
import { chunked, readSample, sampleNames, sourceFile } from './helpers.js';

const LIMITS = { ...DEFAULT_INTAKE_LIMITS, maxDecompressedBytes: 4 * 1024 * 1024, maxArticleChars: 200_000 };
const FORMATS: IntakeFormat[] = ['text', 'html', 'json', 'jsonl', 'warc', 'feed'];
const SAMPLES = sampleNames().map((name) => ({ name, bytes: readSample(name) }));

function settle(fn: () => unknown): 'ok' | 'error' {
  try {
    fn();
    return 'ok';
  } catch (err) {
    if (err instanceof CopydeskError) return 'error';
    throw err;
  }
}

async function settleStream(name: string, bytes: Uint8Array, chunk: number): Promise<'ok' | 'error'> {
  try {
    for await (const r of intakeStream(sourceFile(name, bytes), chunked(bytes, chunk), LIMITS)) void r;
    return 'ok';
  } catch (err) {
    if (err instanceof CopydeskError) return 'error';
    throw err;
  }
}

function forced(format: IntakeFormat, name: string, bytes: Uint8Array): void {
  const file = sourceFile(name, bytes);
  const sink = new RecordCollector(file, LIMITS, emptyReport());
  const parser = openParser({ format, file, limits: LIMITS, sink, head: bytes.subarray(0, 65536), complete: true });
  parser.push(bytes);
  parser.end();
  sink.finish();
}

const sampleArb = fc.constantFrom(...SAMPLES);
/** A sample, cut short and/or with a few bytes overwritten. */
const mangled = fc
  .tuple(sampleArb, fc.double({ min: 0, max: 1, noNaN: true }), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }))
  .map(([sample, keep, edits]) => {
    const bytes = Buffer.from(sample.bytes.subarray(0, Math.floor(sample.bytes.length * keep)));
    for (const [at, value] of edits) if (bytes.length) bytes[at % bytes.length] = value;
    return { name: sample.name, bytes };
  });
const names = fc.constantFrom('x.txt', 'x.html', 'x.json', 'x.jsonl', 'x.warc', 'x.xml', 'x.warc.gz', 'x.bin');
const randomBytes = fc.uint8Array({ maxLength: 3000 });
const prefixes = ['', 'WARC/1.1\r\n', '<?xml version="1.0"?><rss><channel><item>', '[{"text":"', '{"html":"<p>', '<html><body>', '\u00ef\u00bb\u00bf'];
const prefixed = fc.tuple(fc.constantFrom(...prefixes), randomBytes).map(([p, b]) => Buffer.concat([Buffer.from(p, 'latin1'), b]));

describe('intake never crashes', () => {
  it('truncated and corrupted samples, whole-buffer', () => {
    fc.assert(fc.property(mangled, ({ name, bytes }) => void settle(() => intakeDetailed(sourceFile(name, bytes), bytes, LIMITS))), { numRuns: 400 });
  });

  it('truncated and corrupted samples, streamed in random chunk sizes', async () => {
    await fc.assert(
      fc.asyncProperty(mangled, fc.integer({ min: 1, max: 5000 }), async ({ name, bytes }, chunk) => void (await settleStream(name, bytes, chunk))),
      { numRuns: 150 },
    );
  });

  it('random bytes (with and without a format-like prefix), whole-buffer and streamed', async () => {
    await fc.assert(
      fc.asyncProperty(names, fc.oneof(randomBytes, prefixed), fc.integer({ min: 1, max: 700 }), async (name, bytes, chunk) => {
        settle(() => intakeDetailed(sourceFile(name, bytes), bytes, LIMITS));
        await settleStream(name, bytes, chunk);
      }),
      { numRuns: 300 },
    );
  });

  it('every format parser, forced onto any sample or random bytes', () => {
    fc.assert(
      fc.property(fc.constantFrom(...FORMATS), fc.oneof(mangled.map((m) => m.bytes), prefixed), (format, bytes) => void settle(() => forced(format, `x.${format}`, bytes))),
      { numRuns: 400 },
    );
  });

  it('gzip around truncated samples', async () => {
    await fc.assert(
      fc.asyncProperty(mangled, fc.double({ min: 0, max: 1, noNaN: true }), async ({ name, bytes }, keep) => {
        const gz = zlib.gzipSync(bytes);
        const cut = gz.subarray(0, Math.max(1, Math.floor(gz.length * keep)));
        settle(() => intakeDetailed(sourceFile(`${name}.gz`, cut), cut, LIMITS));
        await settleStream(`${name}.gz`, cut, 512);
      }),
      { numRuns: 150 },
    );
  });

  it('the outcome does not depend on the chunking', async () => {
    await fc.assert(
      fc.asyncProperty(mangled, fc.integer({ min: 1, max: 3000 }), async ({ name, bytes }, chunk) => {
        const whole = settle(() => intakeDetailed(sourceFile(name, bytes), bytes, LIMITS));
        expect(await settleStream(name, bytes, chunk)).toBe(whole);
      }),
      { numRuns: 150 },
    );
  });
});
