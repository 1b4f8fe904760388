/** WARC files for tests: response records holding distinct, article-like HTML pages. */
import { gzipSync } from 'node:zlib';

export function articlePage(i: number, topic = 'tram'): string {
  const p = [
    `The city council of Riverton voted on Tuesday to expand the ${topic} network by ${i + 3} kilometres, the mayor said after a long meeting in district ${i}.`,
    `Construction of section ${i} is due to begin next spring and will be paid for by a regional grant and a bond issue that voters approved in ${2000 + i}.`,
    `Residents of the eastern suburbs have waited ${i + 5} years for the line, which planners say will cut commuting times by a third for ${1000 * (i + 1)} people.`,
  ];
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${topic} section ${i} approved</title></head><body><article><h1>${topic} section ${i} approved</h1>${p.map((x) => `<p>${x}</p>`).join('')}</article></body></html>`;
}

/** One WARC response record (with the blank lines that end it) for page `i`. */
export function warcResponse(i: number, topic = 'tram'): Buffer {
  const html = Buffer.from(articlePage(i, topic));
  const http = Buffer.concat([Buffer.from(`HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: ${html.length}\r\n\r\n`), html]);
  const head = [
    'WARC/1.0',
    'WARC-Type: response',
    `WARC-Record-ID: <urn:uuid:00000000-0000-4000-8000-${String(i).padStart(12, '0')}>`,
    `WARC-Target-URI: https://news.example/${topic}-${i}`,
    'WARC-Date: 2025-06-09T08:00:00Z',
    'Content-Type: application/http; msgtype=response',
    `Content-Length: ${http.length}`,
  ].join('\r\n');
  return Buffer.concat([Buffer.from(`${head}\r\n\r\n`), http, Buffer.from('\r\n\r\n')]);
}

/** A .warc.gz as crawlers write it: one gzip member per record. */
export function gzipMembers(records: readonly Buffer[]): Buffer[] {
  return records.map((r) => gzipSync(r));
}
