/**
 * Records that are not whole text files — JSON rows, WARC responses, feed items, HTML
 * pages — become one article each, with the record's own fields (hints) and the page's
 * metadata used before anything read from the text.
 */
import { describe, expect, it } from 'vitest';
import { clean } from '../../../src/clean/index.js';
import { split } from '../../../src/split/index.js';
import { ArticleDraftSchema, type CleanDoc, type SourceFile } from '../../../src/schema/pipeline.js';

const file: SourceFile = { name: 'rows.jsonl', sha256: 'f'.repeat(64), size: 100, capturedAt: '2025-06-09T09:00:00Z' };
const body =
  'The regional government approved a plan on Tuesday to double the number of night trains between the two largest cities, starting in December, after a year of record passenger numbers on the line.';

function htmlDoc(over: Partial<CleanDoc>): CleanDoc {
  return {
    recordIndex: 2,
    origin: 'warc-record',
    kind: 'html',
    hints: {},
    meta: { title: 'Night trains to double between the two cities', authors: ['Eva Berg'], tags: ['rail'], publishedAt: '2025-06-03T06:30:00Z', siteName: 'Rail Daily' },
    blocks: [
      { type: 'heading', text: 'Night trains to double between the two cities', level: 1 },
      { type: 'paragraph', text: body },
      { type: 'paragraph', text: 'Tickets for the new services go on sale in September, the operator said.' },
      { type: 'section', section: 'related', text: 'Related' },
      { type: 'paragraph', text: 'A different story about buses that must not end up in this article at all.' },
    ],
    captions: [{ text: 'A night train at the central station', credit: 'Rail Daily' }],
    notes: [{ stage: 'clean', rule: 'boilerplate-class', text: 'share-bar' }],
    ...over,
  };
}

describe('split: one article per non-file record', () => {
  it('a JSON row with a text field uses its own title, source, url, authors and date (explicit)', () => {
    const doc = clean({
      index: 4,
      recordId: 'row-17',
      origin: 'json-record',
      kind: 'text',
      content: `Night trains to double between the two cities\n${body}`,
      hints: { title: 'Night trains to double between the two cities', source: 'Rail Daily', url: 'https://example.com/a', authors: ['Eva Berg'], publishedAt: '2025-06-01T10:00:00+02:00' },
    });
    const { drafts, dropped } = split(doc, file);
    expect(dropped).toEqual([]);
    expect(drafts).toHaveLength(1);
    const d = ArticleDraftSchema.parse(drafts[0]);
    expect(d).toMatchObject({ key: '4.0', recordId: 'row-17', role: 'record', title: 'Night trains to double between the two cities', source: 'Rail Daily', url: 'https://example.com/a', authors: ['Eva Berg'] });
    expect(d.published).toEqual({ value: '2025-06-01T08:00:00.000Z', method: 'explicit', raw: '2025-06-01T10:00:00+02:00' });
    expect(d.paragraphs).toEqual([body]); // the title line is not repeated in the body
  });

  it('an HTML record takes its title and date from the page metadata and stops at the related section', () => {
    const { drafts } = split(htmlDoc({}), file);
    expect(drafts).toHaveLength(1);
    const d = drafts[0]!;
    expect(d).toMatchObject({ role: 'record', title: 'Night trains to double between the two cities', source: 'Rail Daily', authors: ['Eva Berg'], tags: ['rail'] });
    expect(d.published).toEqual({ value: '2025-06-03T06:30:00.000Z', method: 'metadata', raw: '2025-06-03T06:30:00Z' });
    expect(d.paragraphs.join(' ')).not.toContain('buses');
    expect(d.paragraphs[0]).toBe(body);
    expect(d.captions).toEqual([{ text: 'A night train at the central station', credit: 'Rail Daily' }]);
    expect(d.notes.map((n) => n.rule)).toEqual(expect.arrayContaining(['boilerplate-class', 'section-heading:related']));
  });

  it('roles follow the origin: an HTML file is a main article, a feed item a feed-item', () => {
    expect(split(htmlDoc({ origin: 'file' }), file).drafts[0]!.role).toBe('main');
    expect(split(htmlDoc({ origin: 'feed-item' }), file).drafts[0]!.role).toBe('feed-item');
  });

  it('a record field wins over page metadata for the date', () => {
    const d = split(htmlDoc({ hints: { publishedAt: 'Mon, 02 Jun 2025 08:00:00 GMT' } }), file).drafts[0]!;
    expect(d.published).toMatchObject({ value: '2025-06-02T08:00:00.000Z', method: 'explicit' });
  });

  it('an HTML record with nothing left is dropped as no_article; a stub as too_short', () => {
    expect(split(htmlDoc({ blocks: [] }), file)).toEqual({ drafts: [], dropped: [expect.objectContaining({ stage: 'split', reason: 'no_article', key: '2.0' })] });
    const stub = split(htmlDoc({ blocks: [{ type: 'paragraph', text: 'Page not found.' }] }), file);
    expect(stub.drafts).toEqual([]);
    expect(stub.dropped).toEqual([expect.objectContaining({ reason: 'too_short', key: '2.0' })]);
  });
});
