/**
 * Cross-check of our WARC reader against warcio (the Webrecorder reference implementation):
 * both must see the same records, types and target URIs in the samples, plain and gzipped.
 */
import { describe, it, expect } from 'vitest';
import { WARCParser } from 'warcio';
import { intakeDetailed } from '../../../src/intake/index.js';
import { readSample, sourceFile } from './helpers.js';

async function warcioView(bytes: Uint8Array): Promise<{ type: string; uri: string | undefined; status: number | undefined; html: boolean }[]> {
  const out = [];
  for await (const record of WARCParser.iterRecords([bytes])) {
    const contentType = record.httpHeaders?.headers.get('content-type') ?? '';
    out.push({ type: record.warcType, uri: record.warcTargetURI ?? undefined, status: record.httpHeaders ? Number(record.httpHeaders.statusCode) : undefined, html: contentType.includes('text/html') });
    await record.readFully(false);
  }
  return out;
}

describe('WARC reader agrees with warcio', () => {
  for (const name of ['crawl.warc', 'crawl.warc.gz']) {
    it(name, async () => {
      const bytes = readSample(name);
      const reference = await warcioView(bytes);
      const ours = intakeDetailed(sourceFile(name, bytes), bytes);
      const htmlResponses = reference.filter((r) => r.type === 'response' && r.html && r.status !== undefined && r.status < 300);
      expect(ours.records.map((r) => r.hints.url)).toEqual(htmlResponses.map((r) => r.uri));
      const skippedTotal = Object.values(ours.skipped).reduce((a, b) => a + b, 0);
      expect(ours.records.length + skippedTotal + ours.problems.length).toBe(reference.length);
      for (const type of ['warcinfo', 'request', 'metadata']) {
        expect(ours.skipped[`warc:${type}`] ?? 0).toBe(reference.filter((r) => r.type === type).length);
      }
    });
  }
});
