/**
 * Intake streaming benchmark: generates a 1 GB JSON lines file and a 1 GB WARC (BENCH_SMOKE=1:
 * ~20 MB each) in a temp dir, reads each with fs.createReadStream through intakeStream, and
 * prints records/s, MB/s and peak RSS (target: peak RSS < 300 MB whatever the file size).
 * The temp files are deleted afterwards. Sizes can be overridden with INTAKE_BENCH_MB.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { intakeStream } from '../../src/intake/index.js';
import type { SourceFile } from '../../src/schema/pipeline.js';

const SMOKE = Boolean(process.env.BENCH_SMOKE);
const TARGET_MB = Number(process.env.INTAKE_BENCH_MB ?? (SMOKE ? 20 : 1024));
const RSS_TARGET_MB = 300;
const MB = 1024 * 1024;

const WORDS = 'the council said on monday that the new harbour would open next spring after years of delay while critics warned costs had doubled and residents asked for more buses police reported calm weather across the region'.split(' ');

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

function paragraph(rand: () => number, words: number): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) out.push(WORDS[Math.floor(rand() * WORDS.length)]!);
  return out.join(' ');
}

/** A plausible article page: chrome around 6–12 paragraphs, 4–9 KB. */
function page(rand: () => number, n: number): string {
  const paragraphs = Array.from({ length: 6 + Math.floor(rand() * 7) }, () => `<p>${paragraph(rand, 60 + Math.floor(rand() * 60))}.</p>`).join('\n');
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>Story ${n} – Daily Example</title></head><body><nav><a href="/">Home</a> <a href="/world">World</a></nav><article><h1>Story ${n}</h1>\n${paragraphs}\n</article><footer>© Daily Example</footer></body></html>`;
}

async function writeUntil(file: string, targetBytes: number, next: (n: number) => Buffer): Promise<number> {
  const out = createWriteStream(file);
  let written = 0;
  let n = 0;
  while (written < targetBytes) {
    const chunk = next(n++);
    written += chunk.length;
    if (!out.write(chunk)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'close');
  return n;
}

function jsonlLine(rand: () => number, n: number): Buffer {
  return Buffer.from(
    JSON.stringify({ id: `rec-${n}`, url: `https://daily.example/story/${n}`, title: `Story ${n}`, published: '2025-06-09T07:54:00Z', source: 'Daily Example', html: page(rand, n) }) + '\n',
  );
}

function warcRecords(rand: () => number, n: number): Buffer {
  const html = Buffer.from(page(rand, n));
  const http = Buffer.concat([Buffer.from(`HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: ${html.length}\r\n\r\n`), html]);
  const record = (type: string, contentType: string, block: Buffer) =>
    Buffer.concat([
      Buffer.from(`WARC/1.1\r\nWARC-Type: ${type}\r\nWARC-Target-URI: https://daily.example/story/${n}\r\nWARC-Date: 2025-06-09T08:00:00Z\r\nWARC-Record-ID: <urn:uuid:${n}-${type}>\r\nContent-Type: ${contentType}\r\nContent-Length: ${block.length}\r\n\r\n`),
      block,
      Buffer.from('\r\n\r\n'),
    ]);
  // Each fetch as crawlers write it: a request record then its response.
  return Buffer.concat([record('request', 'application/http; msgtype=request', Buffer.from(`GET /story/${n} HTTP/1.1\r\nHost: daily.example\r\n\r\n`)), record('response', 'application/http; msgtype=response', http)]);
}

interface Figures {
  name: string;
  fileMB: number;
  records: number;
  seconds: number;
  /** CPU time of this process: on a shared machine wall time says more about the neighbours. */
  cpuSeconds: number;
  peakRssMB: number;
}

async function measure(name: string, file: string): Promise<Figures> {
  const size = (await stat(file)).size;
  const source: SourceFile = { name, sha256: '0'.repeat(64), size, capturedAt: new Date().toISOString() };
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 25);
  const started = process.hrtime.bigint();
  const cpuStart = process.cpuUsage();
  let records = 0;
  let chars = 0;
  const stream = intakeStream(source, createReadStream(file, { highWaterMark: 256 * 1024 }));
  for await (const record of stream) {
    records++;
    chars += record.content.length; // touch the record as a consumer would
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage(cpuStart);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  if (chars === 0 || stream.report.problems.length) throw new Error(`${name}: unexpected result ${JSON.stringify(stream.report).slice(0, 300)}`);
  return { name, fileMB: size / MB, records, seconds, cpuSeconds, peakRssMB: peak / MB };
}

function print(f: Figures): void {
  console.log(
    `${f.name.padEnd(12)} ${f.fileMB.toFixed(0).padStart(6)} MB  ${f.records.toLocaleString('en').padStart(9)} records  ` +
      `${(f.records / f.seconds).toFixed(0).padStart(7)} records/s  ${(f.fileMB / f.seconds).toFixed(1).padStart(6)} MB/s  ` +
      `peak RSS ${f.peakRssMB.toFixed(0)} MB (target < ${RSS_TARGET_MB} MB)  ${f.seconds.toFixed(1)} s wall, ${f.cpuSeconds.toFixed(1)} s CPU ` +
      `(${(f.records / f.cpuSeconds).toFixed(0)} records per CPU-second, ${(f.fileMB / f.cpuSeconds).toFixed(1)} MB per CPU-second)`,
  );
}

const dir = await mkdtemp(path.join(os.tmpdir(), 'copydesk-intake-bench-'));
let failed = false;
try {
  const targetBytes = TARGET_MB * MB;
  const jsonlFile = path.join(dir, 'crawl.jsonl');
  const warcFile = path.join(dir, 'crawl.warc');
  const rand = seeded(42);
  console.log(`generating ${TARGET_MB} MB JSONL and ${TARGET_MB} MB WARC in ${dir} …`);
  const jsonlExpected = await writeUntil(jsonlFile, targetBytes, (n) => jsonlLine(rand, n));
  const warcExpected = await writeUntil(warcFile, targetBytes, (n) => warcRecords(rand, n));
  for (const [name, file, expected] of [['crawl.jsonl', jsonlFile, jsonlExpected], ['crawl.warc', warcFile, warcExpected]] as const) {
    const figures = await measure(name, file);
    print(figures);
    if (figures.records !== expected) {
      console.log(`  ${name}: expected ${expected} records, got ${figures.records}`);
      failed = true;
    }
    if (figures.peakRssMB >= RSS_TARGET_MB) console.log(`  ${name}: peak RSS over the ${RSS_TARGET_MB} MB target`);
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
