/**
 * Intake streaming benchmark: generates a 1 GB JSON lines file and a 1 GB WARC (BENCH_SMOKE=1:
 * ~20 MB each) in a temp dir, reads each with fs.createReadStream through intakeStream, and
 * prints records/s, MB/s and peak RSS (target: peak RSS < 300 MB whatever the file size).
 * The temp files are deleted afterwards. Sizes can be overridden with INTAKE_BENCH_MB.
 *
 * Then the whole path: `copydesk process <file> --stdout` as a child process (intake, clean,
 * split, in-memory dedupe, classify, records to stdout), on the first PROCESS_BENCH_MB of each
 * file (default 256 MB, BENCH_SMOKE 20 MB; 1024 for the full size, about 176,000
 * records and a quarter of an hour per format on 2 cores; PROCESS_BENCH_ONLY=jsonl|warc runs
 * one), printing records/s and the child's peak RSS (VmHWM) at each quarter, to show whether
 * memory stays flat as the file goes on.
 */
import { createReadStream, createWriteStream, readFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { intakeStream } from '../../src/intake/index.js';
import type { SourceFile } from '../../src/schema/pipeline.js';

const SMOKE = Boolean(process.env.BENCH_SMOKE);
const TARGET_MB = Number(process.env.INTAKE_BENCH_MB ?? (SMOKE ? 20 : 1024));
const RSS_TARGET_MB = 300;
const PROCESS_MB = Number(process.env.PROCESS_BENCH_MB ?? (SMOKE ? 20 : 256));
/** `jsonl` or `warc`: the whole path on that format only (each 1 GB run takes a quarter of an hour). */
const PROCESS_ONLY = process.env.PROCESS_BENCH_ONLY;
/** V8's heap bound for the child, as the README advises where memory is tight: without one V8 lets a
 * long run's heap grow lazily on a big machine (RSS 284 MB after 4,000 records), with 96 MB it ran
 * the same 8,000 records at 212 MB peak. */
const PROCESS_HEAP_MB = Number(process.env.PROCESS_BENCH_HEAP_MB ?? 128);
const CLI = path.resolve(import.meta.dirname, '../../jobs/cli.ts');
const MB = 1024 * 1024;

const COMMON = 'the council said on monday that the new harbour would open next spring after years of delay while critics warned costs had doubled and residents asked for more buses police reported calm weather across the region'.split(' ');
const SYLLABLES = 'ka ri to me sa lu ne po da vi ro te mi ga su le na bo ki ha'.split(' ');

/** A news-like vocabulary: common words and 20,000 made-up names and terms, so articles are
 * distinct stories (a tiny vocabulary makes every article a near-copy of every other, which
 * hides what the dedupe index costs). */
function vocabulary(rand: () => number): string[] {
  const words = new Set<string>();
  while (words.size < 20_000) {
    const n = 2 + Math.floor(rand() * 3);
    let w = '';
    for (let i = 0; i < n; i++) w += SYLLABLES[Math.floor(rand() * SYLLABLES.length)];
    words.add(w);
  }
  return [...words];
}

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

const WORDS = vocabulary(seeded(7));

/** Half common words, half terms drawn with a skew towards the frequent ones, as in news text. */
function paragraph(rand: () => number, words: number): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) {
    out.push(rand() < 0.5 ? COMMON[Math.floor(rand() * COMMON.length)]! : WORDS[Math.floor(rand() ** 2 * WORDS.length)]!);
  }
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

/** Peak resident memory of a live process so far (Linux VmHWM), in MB. */
function peakRssOf(pid: number): number {
  try {
    const m = /^VmHWM:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

async function measureProcess(name: string, file: string, expected: number): Promise<boolean> {
  const size = (await stat(file)).size;
  const child = spawn(process.execPath, [`--max-old-space-size=${PROCESS_HEAP_MB}`, '--import', 'tsx', CLI, 'process', file, '--stdout'], {
    env: { ...process.env, LOG_LEVEL: 'warn', REDIS_URL: 'redis://127.0.0.1:1' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const started = performance.now();
  let records = 0;
  let duplicates = 0;
  let peak = 0;
  const quarters: string[] = [];
  const sampler = setInterval(() => (peak = Math.max(peak, peakRssOf(child.pid!))), 100);
  for await (const line of createInterface({ input: child.stdout! })) {
    if (!line) continue;
    records++;
    if (!line.includes('"duplicateOf":null')) duplicates++;
    if (expected >= 4 && records % Math.floor(expected / 4) === 0 && quarters.length < 4) {
      peak = Math.max(peak, peakRssOf(child.pid!));
      quarters.push(`${records.toLocaleString('en')} records: ${peak.toFixed(0)} MB`);
    }
  }
  const code = await new Promise<number | null>((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.once('exit', resolve)));
  clearInterval(sampler);
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `copydesk process (heap ${PROCESS_HEAP_MB} MB) ${name.padEnd(12)} ${(size / MB).toFixed(0).padStart(5)} MB  ${records.toLocaleString('en').padStart(8)} records  ` +
      `(${duplicates.toLocaleString('en')} duplicates)  ${(records / seconds).toFixed(0).padStart(5)} records/s  peak RSS ${peak.toFixed(0)} MB (target < ${RSS_TARGET_MB} MB); peak so far at ${quarters.join(', ')}`,
  );
  if (code !== 0) console.log(`  copydesk process exited with ${code}`);
  return code === 0 && records > 0;
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
  // The whole path, on files of PROCESS_MB (regenerated with the same seed when smaller).
  const prand = seeded(42);
  const processBytes = PROCESS_MB * MB;
  const pJsonl = path.join(dir, 'process.jsonl');
  const pWarc = path.join(dir, 'process.warc');
  const pJsonlCount = await writeUntil(pJsonl, processBytes, (n) => jsonlLine(prand, n));
  const pWarcCount = await writeUntil(pWarc, processBytes, (n) => warcRecords(prand, n));
  for (const [name, file, expected] of [['crawl.jsonl', pJsonl, pJsonlCount], ['crawl.warc', pWarc, pWarcCount]] as const) {
    if (PROCESS_ONLY && !name.endsWith(PROCESS_ONLY)) continue;
    if (!(await measureProcess(name, file, expected))) failed = true;
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
