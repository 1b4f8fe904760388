import { describe, it, expect } from 'vitest';
import zlib from 'node:zlib';
import { intakeStream, intakeDetailed } from '../../../src/intake/index.js';
import { readSample, sourceFile } from './helpers.js';

/** An endless crawler: JSON lines until the consumer stops asking. */
async function* endlessJsonl(produced: { lines: number }): AsyncGenerator<Uint8Array> {
  for (;;) {
    const batch = Array.from({ length: 50 }, () => {
      const n = produced.lines++;
      return JSON.stringify({ id: `n${n}`, url: `https://x.example/${n}`, title: `Story ${n}`, text: `Body of story ${n}.` });
    });
    yield Buffer.from(batch.join('\n') + '\n');
  }
}

function warcResponse(n: number): Buffer {
  const html = Buffer.from(`<html><body><p>Story ${n}</p></body></html>`);
  const http = Buffer.concat([Buffer.from('HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n'), html]);
  const head = `WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://x.example/${n}\r\nWARC-Date: 2025-01-01T00:00:00Z\r\nContent-Type: application/http; msgtype=response\r\nContent-Length: ${http.length}\r\n\r\n`;
  return Buffer.concat([Buffer.from(head), http, Buffer.from('\r\n\r\n')]);
}

describe('intakeStream', () => {
  it('yields records before the input ends (it streams, it does not slurp)', async () => {
    const produced = { lines: 0 };
    const stream = intakeStream(sourceFile('endless.jsonl', new Uint8Array(1)), endlessJsonl(produced));
    const seen: string[] = [];
    for await (const record of stream) {
      seen.push(record.recordId!);
      if (seen.length === 3000) break;
    }
    expect(seen[2999]).toBe('n2999');
    // Beyond what was consumed, only the 64 KB format sniff (~800 lines) and a batch or two were read.
    expect(produced.lines).toBeLessThan(3000 + 1000);
  });

  it('streams an endless gzipped WARC the same way', async () => {
    let made = 0;
    async function* source(): AsyncGenerator<Uint8Array> {
      for (;;) yield zlib.gzipSync(warcResponse(made++));
    }
    const stream = intakeStream(sourceFile('endless.warc.gz', new Uint8Array(1)), source());
    const urls: string[] = [];
    for await (const record of stream) {
      urls.push(record.hints.url!);
      if (urls.length === 300) break;
    }
    expect(urls[299]).toBe('https://x.example/299');
    expect(made).toBeLessThan(300 + 2000);
  });

  it('counts and numbers 5,000 CRLF JSON lines exactly like the whole-buffer path', async () => {
    const lines = Array.from({ length: 5_000 }, (_, n) => JSON.stringify({ id: n, text: `Body ${n} — “quoted”` })).join('\r\n');
    const bytes = Buffer.from(lines);
    const whole = intakeDetailed(sourceFile('big.jsonl', bytes), bytes).records;
    async function* chunks(): AsyncGenerator<Uint8Array> {
      for (let at = 0; at < bytes.length; at += 65_536) yield bytes.subarray(at, at + 65_536);
    }
    const streamed = [];
    for await (const record of intakeStream(sourceFile('big.jsonl', bytes), chunks())) streamed.push(record);
    expect(streamed).toHaveLength(5_000);
    expect(streamed[4_999]!.content).toBe('Body 4999 — “quoted”');
    expect(streamed).toEqual(whole);
  });

  it('reports problems and skips on the stream once it has been read', async () => {
    const bytes = readSample('crawl.warc');
    const stream = intakeStream(sourceFile('crawl.warc', bytes), (async function* () { yield bytes; })());
    const records = [];
    for await (const r of stream) records.push(r);
    expect(records).toHaveLength(3);
    expect(stream.report.format).toBe('warc');
    expect(stream.report.skipped['warc:request']).toBe(1);
  });
});
