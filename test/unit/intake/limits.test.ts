import { describe, it, expect } from 'vitest';
import zlib from 'node:zlib';
import { intake, intakeDetailed, DEFAULT_INTAKE_LIMITS, type IntakeLimits } from '../../../src/intake/index.js';
import { CopydeskError } from '../../../src/errors.js';
import { readSample, sourceFile, streamAll } from './helpers.js';

function errorOf(fn: () => unknown): CopydeskError {
  try {
    fn();
  } catch (err) {
    if (err instanceof CopydeskError) return err;
    throw err;
  }
  throw new Error('expected a CopydeskError, nothing was thrown');
}

function run(name: string, bytes: Uint8Array, limits: Partial<IntakeLimits> = {}) {
  return intakeDetailed(sourceFile(name, bytes), bytes, { ...DEFAULT_INTAKE_LIMITS, ...limits });
}

const jsonl = (n: number, text = 'Some article text.') => Array.from({ length: n }, (_, i) => JSON.stringify({ id: `r${i}`, title: `T${i}`, text })).join('\n');

describe('intake limits and broken input', () => {
  it('refuses empty and white-space-only files', () => {
    expect(errorOf(() => run('a.txt', new Uint8Array())).code).toBe('E_EMPTY_FILE');
    expect(errorOf(() => run('a.txt', Buffer.from(' \n\t '))).code).toBe('E_EMPTY_FILE');
    expect(errorOf(() => run('a.jsonl.gz', zlib.gzipSync(Buffer.alloc(0)))).code).toBe('E_EMPTY_FILE');
  });

  it('refuses files over maxFileBytes, whole or streamed', async () => {
    const bytes = Buffer.from('x'.repeat(2000));
    expect(errorOf(() => run('a.txt', bytes, { maxFileBytes: 1000 })).code).toBe('E_FILE_TOO_LARGE');
    await expect(streamAll('a.txt', bytes, 100, { ...DEFAULT_INTAKE_LIMITS, maxFileBytes: 1000 })).rejects.toMatchObject({ code: 'E_FILE_TOO_LARGE' });
  });

  it('stops a gzip bomb at maxDecompressedBytes without inflating it', async () => {
    const bomb = zlib.gzipSync(Buffer.alloc(50 * 1024 * 1024, 0x20), { level: 9 });
    expect(bomb.length).toBeLessThan(100_000);
    const before = process.memoryUsage().rss;
    expect(errorOf(() => run('bomb.jsonl.gz', bomb, { maxDecompressedBytes: 1024 * 1024 })).code).toBe('E_DECOMPRESSED_TOO_LARGE');
    await expect(streamAll('bomb.jsonl.gz', bomb, 4096, { ...DEFAULT_INTAKE_LIMITS, maxDecompressedBytes: 1024 * 1024 })).rejects.toMatchObject({ code: 'E_DECOMPRESSED_TOO_LARGE' });
    expect(process.memoryUsage().rss - before).toBeLessThan(40 * 1024 * 1024);
  });

  it('reports truncated and corrupt gzip as E_BAD_GZIP', async () => {
    const gz = readSample('crawl.jsonl.gz');
    const truncated = gz.subarray(0, Math.floor(gz.length / 2));
    expect(errorOf(() => run('crawl.jsonl.gz', truncated)).code).toBe('E_BAD_GZIP');
    await expect(streamAll('crawl.jsonl.gz', truncated, 64)).rejects.toMatchObject({ code: 'E_BAD_GZIP' });
    const corrupt = Buffer.from(gz);
    corrupt.fill(0x41, 20, 60);
    expect(errorOf(() => run('crawl.jsonl.gz', corrupt)).code).toBe('E_BAD_GZIP');
  });

  it('refuses more than maxRecordsPerFile records', async () => {
    const bytes = Buffer.from(jsonl(11));
    expect(run('a.jsonl', bytes, { maxRecordsPerFile: 11 }).records).toHaveLength(11);
    expect(errorOf(() => run('a.jsonl', bytes, { maxRecordsPerFile: 10 })).code).toBe('E_TOO_MANY_RECORDS');
    await expect(streamAll('a.jsonl', bytes, 50, { ...DEFAULT_INTAKE_LIMITS, maxRecordsPerFile: 10 })).rejects.toMatchObject({ code: 'E_TOO_MANY_RECORDS' });
  });

  it('skips a record over maxArticleChars and keeps the others', () => {
    const lines = [JSON.stringify({ id: 'a', text: 'short one' }), JSON.stringify({ id: 'b', text: 'y'.repeat(500) }), JSON.stringify({ id: 'c', text: 'short two' })];
    const result = run('a.jsonl', Buffer.from(lines.join('\n')), { maxArticleChars: 100 });
    expect(result.records.map((r) => r.recordId)).toEqual(['a', 'c']);
    expect(result.problems).toEqual([expect.objectContaining({ index: 1, code: 'E_INVALID_RECORD' })]);
  });

  it('refuses a single text file over maxArticleChars', () => {
    expect(errorOf(() => run('a.txt', Buffer.from('word '.repeat(200)), { maxArticleChars: 100 })).code).toBe('E_INVALID_RECORD');
  });

  it('refuses HTML nested 100,000 deep quickly, as a file and as a record', () => {
    const deep = `<html><body>${'<div>'.repeat(100_000)}text${'</div>'.repeat(100_000)}</body></html>`;
    // A hang would show as the test timeout; no timing assert here.
    expect(errorOf(() => run('deep.html', Buffer.from(deep))).code).toBe('E_TOO_DEEP');
    const lines = [JSON.stringify({ id: 'deep', html: deep }), JSON.stringify({ id: 'ok', html: '<p>fine</p>' })].join('\n');
    const result = run('a.jsonl', Buffer.from(lines));
    expect(result.records.map((r) => r.recordId)).toEqual(['ok']);
    expect(result.problems[0]).toMatchObject({ index: 0, code: 'E_TOO_DEEP' });
  });

  it('is not fooled by stray closing tags the parser ignores', () => {
    // A `</b>` with no open <b> closes nothing in an HTML parser: the divs still nest 100,000 deep.
    const deep = `<html><body>${'<div></b>'.repeat(100_000)}text</body></html>`;
    expect(errorOf(() => run('stray.html', Buffer.from(deep))).code).toBe('E_TOO_DEEP');
    // A closing tag closes the elements opened inside the one it names, as the parser does.
    const closed = `<html><body>${'<div><span><i>x</div>'.repeat(50_000)}</body></html>`;
    expect(run('closed.html', Buffer.from(closed)).records).toHaveLength(1);
  });

  it('does not mistake many paragraphs or line breaks for depth', () => {
    const html = `<html><body>${'<p>para<br>line'.repeat(50_000)}</body></html>`;
    expect(run('flat.html', Buffer.from(html)).records).toHaveLength(1);
  });

  it('refuses binary files with a clear message', () => {
    const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001', 'hex');
    const e = errorOf(() => run('photo.txt', png));
    expect(e.code).toBe('E_UNSUPPORTED_FORMAT');
    expect(e.message).toContain('PNG image');
    expect(errorOf(() => run('tool.html', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0]))).code).toBe('E_UNSUPPORTED_FORMAT');
    expect(errorOf(() => run('blob.txt', Buffer.from([0x41, 0x00, 0x42, 0x00, 0x43]))).code).toBe('E_UNSUPPORTED_FORMAT');
  });

  it('reports a JSON lines file whose every line is bad as a whole-file error', () => {
    const e = errorOf(() => run('a.jsonl', Buffer.from('{"a":1,\n{"page":"x","status":404}\n')));
    expect(e.code).toBe('E_BAD_JSON');
    expect(e.details?.problems).toHaveLength(2);
  });

  it('keeps intake() returning the good records of a partly bad file', () => {
    const bytes = readSample('crawl.jsonl');
    expect(intake(sourceFile('crawl.jsonl', bytes), bytes).map((r) => r.recordId)).toEqual(['c-0001', 'c-0002', 'c-0005']);
  });

  it('skips an over-long JSON line without buffering it and reads on', () => {
    const big = JSON.stringify({ id: 'big', text: 'z'.repeat(10_000) });
    const bytes = Buffer.from([JSON.stringify({ id: 'a', text: 'x' }), big, JSON.stringify({ id: 'b', text: 'y' })].join('\n'));
    const result = run('a.jsonl', bytes, { maxArticleChars: 1000 });
    expect(result.records.map((r) => r.recordId)).toEqual(['a', 'b']);
    expect(result.problems[0]).toMatchObject({ index: 1, code: 'E_INVALID_RECORD' });
  });

  it('names the fields found when a JSON layout fits no rule', () => {
    const e = errorOf(() => run('a.json', Buffer.from('{"page":"https://x","status":200,"headers":{}}')));
    expect(e.code).toBe('E_BAD_RECORD_LAYOUT');
    expect(e.message).toContain('page, status, headers');
  });

  it('refuses a broken WARC with E_BAD_WARC', () => {
    expect(errorOf(() => run('a.warc', Buffer.from('not a warc at all\r\n\r\n'))).code).toBe('E_BAD_WARC');
    expect(errorOf(() => run('a.warc', Buffer.from('WARC/1.1\r\nWARC-Type: response\r\n\r\nbody'))).code).toBe('E_BAD_WARC');
  });

  it('keeps the records before a truncated WARC record and reports the truncation', () => {
    const warc = readSample('crawl.warc');
    const cut = warc.subarray(0, warc.indexOf('urn:uuid:00000000-0000-4000-8000-000000000006') + 200);
    const result = run('crawl.warc', cut);
    expect(result.records.map((r) => r.hints.url)).toEqual(['https://eveningpost.example/news/market-street']);
    expect(result.problems).toEqual([expect.objectContaining({ code: 'E_BAD_WARC' })]);
    expect(result.problems[0]!.message).toContain('truncated');
  });

  it('reports a truncated JSON array and keeps its complete elements', () => {
    const text = readSample('articles.json').toString('utf8');
    const cut = Buffer.from(text.slice(0, text.indexOf('"id": 102')));
    const result = run('articles.json', cut);
    expect(result.records.map((r) => r.recordId)).toEqual(['101']);
    expect(result.problems[0]).toMatchObject({ code: 'E_BAD_JSON' });
  });

  it('refuses XML that is not a feed', () => {
    expect(errorOf(() => run('sitemap.xml', Buffer.from('<?xml version="1.0"?><urlset><url><loc>https://x</loc></url></urlset>'))).code).toBe('E_BAD_FEED');
  });

  it('skips a WARC response over the record limit without holding it, and reads on', async () => {
    const page = (text: string) => Buffer.from(`HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<html><body><p>${text}</p></body></html>`);
    const record = (uri: string, block: Buffer) =>
      Buffer.concat([Buffer.from(`WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: ${uri}\r\nContent-Type: application/http; msgtype=response\r\nContent-Length: ${block.length}\r\n\r\n`), block, Buffer.from('\r\n\r\n')]);
    const bytes = Buffer.concat([record('https://a/1', page('small')), record('https://a/2', page('w'.repeat(5000))), record('https://a/3', page('small too'))]);
    const limits = { maxArticleChars: 1000 };
    const whole = run('a.warc', bytes, limits);
    expect(whole.records.map((r) => r.hints.url)).toEqual(['https://a/1', 'https://a/3']);
    expect(whole.problems).toEqual([expect.objectContaining({ index: 1, code: 'E_INVALID_RECORD' })]);
    const streamed = await streamAll('a.warc', bytes, 333, { ...DEFAULT_INTAKE_LIMITS, ...limits });
    expect(streamed.records).toEqual(whole.records);
  });

  it('skips an oversized feed item and keeps the next one', async () => {
    const item = (title: string, body: string) => `<item><title>${title}</title><description>${body}</description></item>`;
    const xml = `<?xml version="1.0"?><rss version="2.0"><channel><title>F</title>${item('one', 'first')}${item('big', 'b'.repeat(9000))}${item('three', 'third')}</channel></rss>`;
    const limits = { ...DEFAULT_INTAKE_LIMITS, maxArticleChars: 1000 };
    const streamed = await streamAll('f.xml', Buffer.from(xml), 512, limits);
    expect(streamed.records.map((r) => r.hints.title)).toEqual(['one', 'three']);
    expect(streamed.report.problems).toEqual([expect.objectContaining({ code: 'E_INVALID_RECORD' })]);
  });
});
