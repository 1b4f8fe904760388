/**
 * The `articles` expectations of samples/expected/*.json for the text dumps in samples/
 * (the files intake reads as text), checked through clean() + split(). HTML samples are
 * checked by the HTML extractor's tests; the whole-pipeline run by the e2e tests.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { clean } from '../../../src/clean/index.js';
import { split } from '../../../src/split/index.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const samples = path.join(repoRoot, 'samples');
const capturedAt = '2025-06-09T09:00:00.000Z';

interface ExpectedArticle {
  role: string;
  title: string;
  source?: string;
  originalSource?: string;
  authors?: string[];
  publishedAt?: string | { relativeToCapture: string };
  mustContain?: string[];
  mustNotContain?: string[];
}

/** "-PT37M" → -37 minutes, in ms. */
function isoDurationMs(d: string): number {
  const m = /^(-)?PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?$/.exec(d);
  if (!m) throw new Error(`unsupported duration ${d}`);
  return (m[1] ? -1 : 1) * ((Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0)) * 60 + Number(m[4] ?? 0)) * 1000;
}

const cases = existsSync(path.join(samples, 'expected'))
  ? readdirSync(path.join(samples, 'expected'))
      .map((f) => ({ file: f.replace(/\.json$/, ''), expected: JSON.parse(readFileSync(path.join(samples, 'expected', f), 'utf8')) as { articles?: ExpectedArticle[] } }))
      .filter((c) => c.expected.articles && /\.(txt|md)$/.test(c.file))
      .map((c) => ({ ...c, content: readFileSync(path.join(samples, c.file), 'utf8') }))
      .filter((c) => !c.content.trimStart().startsWith('<'))
  : [];

describe('samples/ text dumps: expected articles', () => {
  if (!cases.length) it.skip('skipped: no text samples with article expectations in samples/expected', () => {});
  for (const c of cases) {
    it(c.file, () => {
      const doc = clean({ index: 0, origin: 'file', kind: 'text', content: c.content, hints: {} });
      const { drafts } = split(doc, { name: c.file, sha256: '0'.repeat(64), size: c.content.length, capturedAt });
      expect(drafts.map((d) => d.title)).toEqual(c.expected.articles!.map((a) => a.title));
      c.expected.articles!.forEach((want, i) => {
        const d = drafts[i]!;
        const body = d.paragraphs.join('\n\n');
        expect(d.role).toBe(want.role);
        if (want.source !== undefined) expect(d.source).toBe(want.source);
        if (want.originalSource !== undefined) expect(d.originalSource).toBe(want.originalSource);
        if (want.authors !== undefined) expect(d.authors).toEqual(want.authors);
        if (typeof want.publishedAt === 'string') expect(Date.parse(d.published!.value)).toBe(Date.parse(want.publishedAt));
        if (typeof want.publishedAt === 'object') {
          expect(Date.parse(d.published!.value) - Date.parse(capturedAt)).toBe(isoDurationMs(want.publishedAt.relativeToCapture));
        }
        for (const p of want.mustContain ?? []) expect(body).toContain(p);
        for (const p of want.mustNotContain ?? []) expect(body).not.toContain(p);
      });
    });
  }
});
