/**
 * Fuzzing the text-dump cleaner (clean() on a text record → cleanText) with fast-check: random
 * lines (arbitrary strings, chrome, bylines, dates, separators, entities, mojibake), lines of
 * the real dumps in samples/ and test/fixtures/text mixed at random, and the real files cut
 * at random points (mid-line, mid-word, mid-surrogate).
 *
 * Every call must return a CleanDoc that CleanDocSchema accepts, or throw a CopydeskError:
 * never another exception, never a hang (sizes bounded, run time measured). On top of that:
 * no empty blocks, captions point at blocks that exist, every word of the result was in the
 * dump, and cleaning clean text changes nothing. Seeded: see test/helpers/fuzz.ts.
 */
import { describe, expect, it } from 'vitest';
import { clean } from '../../../src/clean/index.js';
import { cleanText } from '../../../src/clean/text/index.js';
import { decodeEntities, normalizeInvisibles, repairMojibake } from '../../../src/clean/text/repair.js';
import { CleanDocSchema, type CleanDoc } from '../../../src/schema/pipeline.js';
import { anyDump, fuzz, orTyped } from '../../helpers/fuzz.js';

function cleanOrTyped(content: string): CleanDoc | null {
  const doc = orTyped(() => clean({ index: 0, origin: 'file', kind: 'text', content, hints: {} }));
  if (doc) {
    const parsed = CleanDocSchema.safeParse(doc);
    if (!parsed.success) throw new Error(`CleanDoc rejected by its schema: ${parsed.error.message}`);
  }
  return doc;
}

/** Letters and digits only: line joins, de-hyphenation and spacing fixes do not count as changes. */
const letters = (s: string) => (s.normalize('NFC').match(/[\p{L}\p{M}\p{N}]+/gu) ?? []).join('').toLowerCase();
const wordsOf = (s: string) => s.normalize('NFC').match(/[\p{L}\p{M}\p{N}]+/gu) ?? [];
const prose = (doc: { blocks: { type: string; text: string }[] }) => doc.blocks.filter((b) => b.type !== 'section').map((b) => b.text);

describe('text-dump cleaner under fuzzing', () => {
  it('random lines, fixture lines and truncated fixtures: a valid CleanDoc or a typed error; no empty blocks', () => {
    let kept = 0;
    fuzz(anyDump, 500, 25_000, (dump) => {
      const doc = cleanOrTyped(dump);
      if (!doc) return;
      for (const text of prose(doc)) expect(text.trim()).not.toBe('');
      for (const c of doc.captions) expect(c.block ?? 0).toBeLessThanOrEqual(doc.blocks.length);
      if (prose(doc).length) kept++;
    });
    expect(kept).toBeGreaterThan(200);
  });

  it('every word of the result was in the dump (after entity decoding and mojibake repair)', () => {
    fuzz(anyDump, 300, 20_000, (dump) => {
      const doc = cleanOrTyped(dump);
      if (!doc) return;
      // The cleaner's own character repair is the reference for what the dump says.
      const source = letters(repairMojibake(decodeEntities(normalizeInvisibles(dump))));
      for (const s of [...prose(doc), ...doc.captions.flatMap((c) => [c.text, c.credit ?? ''])]) {
        for (const w of wordsOf(s)) expect(source, `word "${w}" is not in the dump`).toContain(letters(w));
      }
    });
  });

  it('is idempotent: cleaning its own clean text changes nothing', () => {
    fuzz(anyDump, 300, 20_000, (dump) => {
      const text = prose(cleanText(dump));
      expect(prose(cleanText(text.join('\n\n')))).toEqual(text);
    });
  });

  it('a fix-up leaves no work for a second pass: " , ." becomes ",." at once', () => {
    expect(prose(cleanText('The council met , . Then it voted.'))).toEqual(['The council met,. Then it voted.']);
  });
});
