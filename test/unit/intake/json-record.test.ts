import { describe, it, expect } from 'vitest';
import { mapJsonRecord, recordsOfDocument, toIsoDate } from '../../../src/intake/json-record.js';
import { intakeDetailed } from '../../../src/intake/index.js';
import { sourceFile } from './helpers.js';

describe('JSON record layouts', () => {
  it('reads a WordPress REST post ({"rendered": …} fields)', () => {
    const mapped = mapJsonRecord({
      id: 77,
      date: '2025-02-01T09:30:00',
      date_gmt: '2025-02-01T08:30:00',
      link: 'https://blog.example/2025/02/snow',
      title: { rendered: 'Snow closes mountain passes' },
      content: { rendered: '<p>Three passes were closed on Saturday.</p>', protected: false },
    });
    expect(mapped.ok && mapped.record).toMatchObject({
      recordId: '77',
      kind: 'html',
      content: '<p>Three passes were closed on Saturday.</p>',
      hints: { url: 'https://blog.example/2025/02/snow', title: 'Snow closes mountain passes' },
    });
  });

  it('reads JSON Feed items and author objects', () => {
    const mapped = mapJsonRecord({
      id: 'jf-1',
      url: 'https://jf.example/1',
      title: 'Hello',
      content_html: '<p>Hi there</p>',
      date_published: '2025-01-02T03:04:05+01:00',
      authors: [{ name: 'Ada Byron' }, { name: 'Alan Turing' }],
    });
    expect(mapped.ok && mapped.record.hints).toEqual({
      url: 'https://jf.example/1',
      title: 'Hello',
      publishedAt: '2025-01-02T02:04:05.000Z',
      authors: ['Ada Byron', 'Alan Turing'],
    });
  });

  it('unwraps Elasticsearch hits and _source', () => {
    const doc = { hits: { total: 1, hits: [{ _id: 'es-1', _source: { body: 'Plain text body.', headline: 'ES headline', crawled_at: 1717920000 } }] } };
    const records = recordsOfDocument(doc)!;
    expect(records).toHaveLength(1);
    const mapped = mapJsonRecord(records[0]);
    expect(mapped.ok && mapped.record).toMatchObject({ recordId: 'es-1', kind: 'text', hints: { title: 'ES headline', capturedAt: '2024-06-09T08:00:00.000Z' } });
  });

  it('keeps a bare date as a date and an unparseable one as written', () => {
    expect(mapJsonRecord({ text: 'x', date: '2025-04-13' })).toMatchObject({ record: { hints: { publishedAt: '2025-04-13' } } });
    expect(mapJsonRecord({ text: 'x', date: 'Jun 9, 2025 16:54 (JST)' })).toMatchObject({ record: { hints: { publishedAt: 'Jun 9, 2025 16:54 (JST)' } } });
    expect(toIsoDate(1717920000000)).toBe('2024-06-09T08:00:00.000Z');
    expect(toIsoDate('not a date')).toBeUndefined();
  });

  it('tells text from HTML by content, not by field name', () => {
    expect(mapJsonRecord({ html: 'just words, no markup at all' })).toMatchObject({ record: { kind: 'text' } });
    expect(mapJsonRecord({ text: '<div><p>markup</p></div>' })).toMatchObject({ record: { kind: 'html' } });
  });

  it('names what it found when nothing fits', () => {
    const mapped = mapJsonRecord({ foo: 1, bar: { baz: 2 } });
    expect(mapped.ok).toBe(false);
    expect(!mapped.ok && mapped.message).toContain('fields found: foo, bar');
    expect(mapJsonRecord([1, 2])).toMatchObject({ ok: false, code: 'E_BAD_RECORD_LAYOUT' });
  });

  it('reads a .json file that actually holds JSON lines', () => {
    const bytes = Buffer.from('{"id":"a","text":"one"}\n{"id":"b","text":"two"}\n');
    const result = intakeDetailed(sourceFile('export.json', bytes), bytes);
    expect(result.format).toBe('jsonl');
    expect(result.records.map((r) => r.recordId)).toEqual(['a', 'b']);
  });
});
