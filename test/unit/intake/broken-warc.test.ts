/**
 * A .warc whose first record header is damaged is a broken WARC (E_BAD_WARC), in both intake
 * paths: read as the HTML page its first payload holds, it gave one article and silently
 * dropped every other record. Damage after the first record stays a problem, the records
 * before it kept.
 */
import { describe, expect, it } from 'vitest';
import { intakeDetailed } from '../../../src/intake/index.js';
import { CopydeskError } from '../../../src/errors.js';
import { sourceFile, streamAll } from './helpers.js';

function response(i: number): Buffer {
  const html = Buffer.from(`<!doctype html><html><head><title>Story ${i}</title></head><body><article><h1>Story ${i}</h1><p>Body of story ${i}.</p></article></body></html>`);
  const http = Buffer.concat([Buffer.from(`HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: ${html.length}\r\n\r\n`), html]);
  const head = `WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://x.example/${i}\r\nWARC-Date: 2025-06-09T08:00:00Z\r\nContent-Type: application/http; msgtype=response\r\nContent-Length: ${http.length}\r\n\r\n`;
  return Buffer.concat([Buffer.from(head), http, Buffer.from('\r\n\r\n')]);
}

const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return (err as CopydeskError).code;
  }
  return undefined;
};

describe('broken WARC', () => {
  const records = [0, 1, 2].map(response);

  it('refuses a .warc whose first header is garbage, whatever its payloads look like', async () => {
    for (const garbage of ['GARBAGE/9.9 not a header\r\nFoo: bar\r\n\r\n', 'WARC/1.0\r\nWARC-Type: response\r\nContent-Length: banana\r\n\r\n', '\u0000\u0001binary junk\r\n\r\n']) {
      const bytes = Buffer.concat([Buffer.from(garbage, 'latin1'), ...records]);
      for (const name of ['crawl.warc', 'crawl.warc.gz']) {
        expect(codeOf(() => intakeDetailed(sourceFile(name, bytes), bytes)), `${name}: ${JSON.stringify(garbage)}`).toBe('E_BAD_WARC');
        await expect(streamAll(name, bytes, 1000), name).rejects.toMatchObject({ code: 'E_BAD_WARC' });
      }
    }
  });

  it('keeps the records before damage later in the file and reports the damage', async () => {
    const bytes = Buffer.concat([records[0]!, records[1]!, Buffer.from('GARBAGE\r\n\r\n'), records[2]!]);
    const result = intakeDetailed(sourceFile('crawl.warc', bytes), bytes);
    expect(result.records.map((r) => r.hints.url)).toEqual(['https://x.example/0', 'https://x.example/1']);
    expect(result.problems.map((p) => p.code)).toEqual(['E_BAD_WARC']);
    const streamed = await streamAll('crawl.warc', bytes, 100);
    expect(streamed.records).toEqual(result.records);
  });
});
