/**
 * Golden tests: text dumps through clean() then split(), checked against the expectations
 * in test/fixtures/text/golden.json (titles, roles, sources, dates, captions, phrases that
 * must and must not appear in bodies, which cuts were noted).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { clean } from '../../../src/clean/index.js';
import { split } from '../../../src/split/index.js';
import { ArticleDraftSchema, type ArticleDraft } from '../../../src/schema/pipeline.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixtures = path.resolve(here, '../../fixtures/text');
const shared = process.env.COPYDESK_SHARED ?? path.resolve(here, '../../../../shared');

interface ExpectedDraft {
  role: string;
  parent?: number;
  title: string;
  authors?: string[];
  source?: string | null;
  originalSource?: string;
  published?: null | { method: string; value?: string; raw?: string; minutesBeforeCapture?: number };
  mustContain?: string[];
  mustNotContain?: string[];
  paragraphs?: number;
  minParagraphs?: number;
  captions?: { textContains: string; credit: string }[];
  noteRules?: string[];
}
interface GoldenCase {
  name: string;
  fixture?: string;
  repo?: string;
  shared?: string;
  capturedAt: string;
  bodiesMustNotContain: string[];
  dropped: { reason: string }[];
  drafts: ExpectedDraft[];
}

const golden = JSON.parse(readFileSync(path.join(fixtures, 'golden.json'), 'utf8')) as { cases: GoldenCase[] };
const repoRoot = path.resolve(here, '../../..');
const fileOf = (c: GoldenCase) =>
  c.fixture ? path.join(fixtures, c.fixture) : c.repo ? path.join(repoRoot, c.repo) : path.join(shared, c.shared!);

function run(c: GoldenCase) {
  const content = readFileSync(fileOf(c), 'utf8');
  const doc = clean({ index: 0, origin: 'file', kind: 'text', content, hints: {} });
  return split(doc, { name: path.basename(fileOf(c)), sha256: '0'.repeat(64), size: content.length, capturedAt: c.capturedAt });
}

function checkDraft(draft: ArticleDraft, want: ExpectedDraft, drafts: ArticleDraft[], capturedAt: string): void {
  expect(ArticleDraftSchema.parse(draft)).toBeTruthy();
  expect(draft.role).toBe(want.role);
  expect(draft.title).toBe(want.title);
  expect(draft.parentKey).toBe(want.parent === undefined ? undefined : drafts[want.parent]!.key);
  if (want.authors) expect(draft.authors).toEqual(want.authors);
  if (want.source !== undefined) expect(draft.source ?? null).toBe(want.source);
  if (want.originalSource !== undefined) expect(draft.originalSource).toBe(want.originalSource);
  if (want.published === null) expect(draft.published).toBeUndefined();
  if (want.published) {
    expect(draft.published?.method).toBe(want.published.method);
    if (want.published.raw) expect(draft.published?.raw).toBe(want.published.raw);
    if (want.published.value) expect(draft.published?.value).toBe(want.published.value);
    if (want.published.minutesBeforeCapture !== undefined) {
      const minutes = (Date.parse(capturedAt) - Date.parse(draft.published!.value)) / 60_000;
      expect(minutes).toBe(want.published.minutesBeforeCapture);
    }
  }
  const body = draft.paragraphs.join('\n\n');
  for (const phrase of want.mustContain ?? []) expect(body).toContain(phrase);
  for (const phrase of want.mustNotContain ?? []) expect(body).not.toContain(phrase);
  if (want.paragraphs !== undefined) expect(draft.paragraphs).toHaveLength(want.paragraphs);
  if (want.minParagraphs !== undefined) expect(draft.paragraphs.length).toBeGreaterThanOrEqual(want.minParagraphs);
  if (want.captions) {
    expect(draft.captions).toHaveLength(want.captions.length);
    want.captions.forEach((c, i) => {
      expect(draft.captions[i]!.text).toContain(c.textContains);
      expect(draft.captions[i]!.credit).toBe(c.credit);
    });
  }
  const rules = draft.notes.map((n) => n.rule);
  for (const rule of want.noteRules ?? []) expect(rules.some((r) => r.startsWith(rule)), `note ${rule} in ${rules.join(', ')}`).toBe(true);
}

describe('golden text dumps (clean + split)', () => {
  for (const c of golden.cases) {
    const available = existsSync(fileOf(c));
    it.skipIf(!available)(`${c.name}${available ? '' : ` — skipped: ${fileOf(c)} is absent`}`, () => {
      const { drafts, dropped } = run(c);
      expect(drafts.map((d) => d.title)).toEqual(c.drafts.map((d) => d.title));
      expect(dropped.map((d) => d.reason)).toEqual(c.dropped.map((d) => d.reason));
      c.drafts.forEach((want, i) => checkDraft(drafts[i]!, want, drafts, c.capturedAt));
      for (const draft of drafts) {
        const body = draft.paragraphs.join('\n\n');
        for (const phrase of c.bodiesMustNotContain) expect(body, `${draft.title} contains ${phrase}`).not.toContain(phrase);
        // Paragraphs are whole: no line breaks inside, no empty ones, no stray edge spaces.
        for (const p of draft.paragraphs) expect(p).toMatch(/^\S(?:[^\n]*\S)?$/);
      }
      expect(new Set(drafts.map((d) => d.key)).size).toBe(drafts.length);
    });
  }
});

describe('capture time', () => {
  const sample = golden.cases.find((c) => c.repo === 'samples/aggregator-dump.txt')!;
  it.skipIf(!existsSync(fileOf(sample)))("a record's own capture time beats the file's", () => {
    const content = readFileSync(fileOf(sample), 'utf8');
    const doc = clean({ index: 3, origin: 'file', kind: 'text', content, hints: { capturedAt: '2025-06-10T00:00:00Z' } });
    const { drafts } = split(doc, { name: 's.txt', sha256: '0'.repeat(64), size: 1, capturedAt: '2025-06-09T09:00:00Z' });
    expect(drafts[1]!.published).toEqual({ value: '2025-06-09T23:23:00.000Z', method: 'relative', raw: '37 minutes ago' });
    expect(drafts.every((d) => d.capturedAt === '2025-06-10T00:00:00Z' && d.key.startsWith('3.'))).toBe(true);
  });
});
