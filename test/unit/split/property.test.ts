/**
 * Fuzzing the split stage with fast-check: text dumps (random lines, lines of the real dumps,
 * truncations of the real files, date and byline lines of every shape) through clean() then
 * split(), and random CleanDocs (any block types, section markers, captions pointing
 * anywhere, any record hints and page metadata, any date string) straight into split().
 *
 * Every call must return drafts that ArticleDraftSchema accepts (or throw a CopydeskError):
 * never another exception, never a hang. Every article has a title and a non-empty body of at
 * least minArticleWords words, every paragraph is text of the record it came from, keys are
 * unique and parents exist, a date is read as the year it says, and the result does not
 * depend on what was split before. Seeded: see test/helpers/fuzz.ts.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clean } from '../../../src/clean/index.js';
import { split, type SplitResult } from '../../../src/split/index.js';
import { SPLIT_RULES } from '../../../src/split/rules.js';
import { identifyDrafts } from '../../../src/record.js';
import { ArticleDraftSchema, type Block, type CleanDoc, type SourceFile } from '../../../src/schema/pipeline.js';
import { anyDump, fuzz, orTyped, TEXT_FILES } from '../../helpers/fuzz.js';

const CAPTURED = ['2025-06-09T08:00:00.000Z', '1970-01-01T00:00:00.000Z', '0001-01-01T00:00:00.000Z', '9999-12-31T23:59:59.999Z', '2000-02-29T12:00:00+05:30'];
const fileArb = fc.constantFrom(...CAPTURED).map((capturedAt): SourceFile => ({ name: 'dump.txt', sha256: 'c'.repeat(64), size: 1000, capturedAt }));

const year = fc.oneof(fc.integer({ min: 1990, max: 2030 }), fc.integer({ min: 0, max: 99 }), fc.integer({ min: 100, max: 9999 }));
const pad4 = (y: number) => String(y).padStart(4, '0');
const MONTH_NAMES = ['Jan', 'January', 'Feb', 'Mar.', 'June', 'Sept', 'Dec', 'December'];
/** Dates as pages and feeds write them, in range and far out of it. */
const dateText = fc.oneof(
  fc.tuple(fc.constantFrom(...MONTH_NAMES), fc.integer({ min: 0, max: 32 }), year, fc.constantFrom('', ' 16:54', ' 11:59 pm', ' 23:59 (JST)', ' 23:59 -12:00', ' 00:01 +14:00', ' 10:00 GMT')).map(
    ([m, d, y, t]) => `${m} ${d}, ${pad4(y)}${t}`,
  ),
  fc.tuple(fc.integer({ min: 1, max: 31 }), fc.constantFrom(...MONTH_NAMES), year).map(([d, m, y]) => `${d} ${m} ${pad4(y)}`),
  fc.tuple(year, fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }), fc.constantFrom('', 'T10:00:00Z', 'T23:59:59-12:00', ' 00:00+14:00')).map(
    ([y, m, d, t]) => `${pad4(y)}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}${t}`,
  ),
  fc.tuple(fc.oneof(fc.integer({ min: 0, max: 100 }), fc.constantFrom(9_999_999, 99_999_999_999, 1e21)), fc.constantFrom('minutes', 'hours', 'h', 'days', 'weeks', 'months', 'years')).map(([n, u]) => `${n} ${u} ago`),
  fc.constantFrom('yesterday', 'an hour ago', '+275760-09-13T00:00:00.000Z', '-271821-04-20T00:00:00Z', '99999', '275760', '12/31/99', 'Mon, 09 Jun 2025 16:54:00 GMT', 'now', ''),
  fc.string({ maxLength: 30 }),
);
const bylineText = fc.constantFrom('By Jane Doe', 'By Jane Doe and John Roe, Reuters', 'By A, B, C & D', 'Von Max Muster', 'By', 'By ' + 'Name '.repeat(40));

// ---------------------------------------------------------------------------------------------
// Random CleanDocs

const words = fc.array(fc.constantFrom('council', 'voted', 'on', 'Monday', 'to', 'rebuild', 'the', 'sea', 'wall', 'after', 'storms', 'Ελλάδα', '東京', '2025', 'said', '.', ','), { minLength: 0, maxLength: 60 }).map((w) => w.join(' '));
const blockText = fc.oneof(
  { weight: 4, arbitrary: words },
  { weight: 2, arbitrary: fc.constantFrom(...TEXT_FILES.flatMap((t) => t.split('\n')).filter((l) => l.trim())) },
  { weight: 1, arbitrary: dateText },
  { weight: 1, arbitrary: bylineText },
  { weight: 1, arbitrary: fc.string({ maxLength: 60 }) },
);
const block: fc.Arbitrary<Block> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ type: fc.constantFrom('paragraph' as const, 'heading' as const, 'list-item' as const, 'quote' as const, 'table' as const), text: blockText }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('section' as const), section: fc.constantFrom('related', 'break', 'comments', 'more', 'unknown'), text: fc.constantFrom('Related', '-----', 'Comments', '') }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('heading' as const), text: blockText, level: fc.integer({ min: -1, max: 7 }) }) },
);
const maybe = <T,>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const randomDoc: fc.Arbitrary<CleanDoc> = fc
  .record({
    recordIndex: fc.nat({ max: 1000 }),
    recordId: maybe(fc.string({ maxLength: 10 })),
    origin: fc.constantFrom('file' as const, 'json-record' as const, 'warc-record' as const, 'feed-item' as const),
    kind: fc.constantFrom('text' as const, 'html' as const),
    hints: fc.record(
      { url: fc.webUrl(), title: blockText, publishedAt: dateText, source: words, authors: fc.array(words, { maxLength: 3 }), capturedAt: fc.constantFrom(...CAPTURED), language: fc.constantFrom('en', 'de', '', 'xx-YY') },
      { requiredKeys: [] },
    ),
    meta: fc.record({ title: maybe(blockText), authors: fc.array(words, { maxLength: 2 }), publishedAt: maybe(dateText), siteName: maybe(words), tags: fc.array(words, { maxLength: 2 }) }),
    blocks: fc.array(block, { maxLength: 40 }),
    captions: fc.array(fc.record({ text: words, credit: maybe(words), block: maybe(fc.nat({ max: 60 })) }), { maxLength: 4 }),
    notes: fc.array(fc.record({ stage: fc.constant('clean'), rule: fc.constantFrom('caption-line', 'class:share', 'x'), text: maybe(words) }), { maxLength: 3 }),
  })
  .map((doc) => JSON.parse(JSON.stringify(doc)) as CleanDoc); // drop undefined keys, as a queue payload would

/** A dump: random lines with the header lines split looks for (titles, bylines, dates, separators). */
const headerLine = fc.oneof(dateText, bylineText, fc.constantFrom('-----', 'Related Articles', 'More from Reuters', 'Reuters', 'LONDON (Reuters) -', 'This article originally appeared in The Times.'));
const dump = fc.oneof(
  anyDump,
  fc.array(fc.oneof({ weight: 2, arbitrary: headerLine }, { weight: 3, arbitrary: anyDump }), { maxLength: 12 }).map((parts) => parts.join('\n')),
);

// ---------------------------------------------------------------------------------------------
// Invariants

const letters = (s: string) => (s.normalize('NFC').match(/[\p{L}\p{M}\p{N}]+/gu) ?? []).join('').toLowerCase();
const space = (s: string) => s.replace(/\s+/g, ' ').trim();
const countWords = (paragraphs: readonly string[]) => paragraphs.reduce((n, p) => n + (p.match(/[\p{L}\p{N}]+/gu)?.length ?? 0), 0);

function checkSplit(doc: CleanDoc, file: SourceFile): SplitResult | null {
  const result = orTyped(() => split(doc, file));
  if (!result) return null;
  const keys = [...result.drafts.map((d) => d.key), ...result.dropped.map((d) => d.key)];
  expect(new Set(keys).size, `keys not unique: ${keys.join(' ')}`).toBe(keys.length);
  const blockTexts = doc.blocks.map((b) => space(b.text));
  const recordText = letters([...doc.blocks.map((b) => b.text), doc.hints.title ?? '', doc.meta.title ?? ''].join(' '));
  for (const d of result.drafts) {
    const parsed = ArticleDraftSchema.safeParse(d);
    expect(parsed.success, `draft ${d.key} rejected by its schema: ${parsed.error?.message}`).toBe(true);
    expect(d.key).toMatch(new RegExp(`^${doc.recordIndex}\\.\\d+$`));
    if (d.parentKey !== undefined) expect(keys).toContain(d.parentKey);
    expect(d.title.trim(), `draft ${d.key} without a title`).not.toBe('');
    expect(d.paragraphs.length, `draft ${d.key} without a body`).toBeGreaterThan(0);
    for (const p of d.paragraphs) expect(p.trim(), `empty paragraph in ${d.key}`).not.toBe('');
    expect(countWords(d.paragraphs)).toBeGreaterThanOrEqual(SPLIT_RULES.minArticleWords);
    // Split only chooses and trims: every paragraph is text of one of the record's blocks.
    for (const p of d.paragraphs) {
      expect(blockTexts.some((t) => t.includes(space(p))), `paragraph of ${d.key} is no block's text: ${p.slice(0, 120)}`).toBe(true);
    }
    expect(recordText).toContain(letters(d.title).slice(0, 40));
    if (d.published && d.published.method !== 'relative' && d.published.raw) {
      // A date is read as the year it says (a time zone may move it across New Year).
      const said = (d.published.raw.match(/(?<!\d)\d{4}(?!\d)/g) ?? []).map(Number);
      const got = Number(d.published.value.slice(0, 4));
      if (said.length) expect(said.some((y) => Math.abs(y - got) <= 1), `"${d.published.raw}" read as ${d.published.value}`).toBe(true);
    }
  }
  for (const x of result.dropped) {
    expect(x.stage).toBe('split');
    expect(['no_article', 'too_short']).toContain(x.reason);
  }
  const ids = identifyDrafts(file, result.drafts).map((d) => d.id);
  expect(new Set(ids).size).toBe(ids.length);
  return result;
}

describe('split under fuzzing', () => {
  it('text dumps through clean() and split(): valid drafts with bodies from the dump, or a typed error', () => {
    let articles = 0;
    fuzz(fc.tuple(dump, fileArb), 400, 25_000, ([text, file]) => {
      const doc = orTyped(() => clean({ index: 3, origin: 'file', kind: 'text', content: text, hints: {} }));
      if (!doc) return;
      const result = checkSplit(doc, file);
      if (!result) return;
      // End to end: every word of every article was in the dump.
      const source = letters(text.replace(/&[#\w]+;/g, ' '));
      for (const d of result.drafts) for (const w of d.paragraphs.join(' ').match(/[\p{L}\p{N}]+/gu) ?? []) if (/^[a-z]+$/i.test(w)) expect(source).toContain(w.toLowerCase());
      articles += result.drafts.length;
    });
    expect(articles, 'the generator must produce articles, not only drops').toBeGreaterThan(150);
  });

  it('random CleanDocs (any blocks, captions, hints, metadata, dates): valid drafts or a typed error', () => {
    fuzz(fc.tuple(randomDoc, fileArb), 600, 25_000, ([doc, file]) => {
      checkSplit(doc, file);
    });
  });

  it('the result does not depend on what was split before (no state kept between calls)', () => {
    fuzz(fc.tuple(randomDoc, randomDoc, fileArb), 200, 20_000, ([a, b, file]) => {
      const first = orTyped(() => split(a, file));
      orTyped(() => split(b, file));
      expect(orTyped(() => split(a, file))).toEqual(first);
    });
  });

  it('dates out of range or written with a short year: read for what they say, or not at all', () => {
    const file: SourceFile = { name: 'x.json', sha256: 'c'.repeat(64), size: 1, capturedAt: '2025-06-09T08:00:00.000Z' };
    const body = 'The council voted on Monday to rebuild the sea wall after two winter storms breached it, the mayor said.';
    const published = (kind: 'text' | 'html', publishedAt: string | undefined, dateLine?: string) =>
      split(
        {
          recordIndex: 0,
          origin: 'json-record',
          kind,
          hints: publishedAt === undefined ? { title: 'Sea wall vote' } : { title: 'Sea wall vote', publishedAt },
          meta: { authors: [], tags: [] },
          blocks: [...(dateLine ? [{ type: 'paragraph' as const, text: 'Sea wall vote' }, { type: 'paragraph' as const, text: dateLine }] : []), { type: 'paragraph', text: body }],
          captions: [],
          notes: [],
        },
        file,
      ).drafts[0]?.published?.value;
    expect(published('text', undefined, '99999999 weeks ago')).toBeUndefined();
    expect(published('html', '+275760-09-13T00:00:00.000Z')).toBeUndefined();
    expect(published('html', 'Dec 31, 9999 23:59 -12:00')).toBeUndefined();
    expect(published('html', '29 Feb 2001')).toBeUndefined(); // not "2001-03-01", Date.parse's guess
    expect(published('html', '0099-01-01')).toBe('0099-01-01T00:00:00.000Z');
    expect(published('text', undefined, 'June 9, 0025')).toBe('0025-06-09T00:00:00.000Z');
    expect(published('html', '2025-06-09T10:00:00+02:00')).toBe('2025-06-09T08:00:00.000Z');
  });
});
