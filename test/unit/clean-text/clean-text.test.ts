import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileTextRules, TEXT_RULES } from '../../../src/clean/rules/text-rules.js';
import { extractInlineCaptions, lineCaption } from '../../../src/clean/text/captions.js';
import { cleanText } from '../../../src/clean/text/index.js';
import { resplitParagraph, splitSentences } from '../../../src/clean/text/sentences.js';
import rulesData from '../../../src/clean/rules/text-rules.json' with { type: 'json' };
import type { CutNote } from '../../../src/schema/pipeline.js';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/text');
const texts = (r: ReturnType<typeof cleanText>) => r.blocks.filter((b) => b.type !== 'section').map((b) => b.text);

describe('chrome', () => {
  it('drops whole-line chrome phrases and cookie notices, noting each cut', () => {
    const r = cleanText(readFileSync(path.join(fixtures, 'single-article.txt'), 'utf8'));
    const all = texts(r).join('\n');
    for (const phrase of ['Skip to content', 'Menu', 'Share', 'Advertisement', 'Sign up for our newsletter', 'We use cookies', 'Most Read']) {
      expect(all).not.toContain(phrase);
    }
    expect(r.notes.filter((n) => n.rule.startsWith('chrome-')).map((n) => n.text)).toHaveLength(7);
  });

  it('keeps a chrome word when it is part of a sentence', () => {
    expect(texts(cleanText('Share prices fell sharply on Monday as investors sold banks.'))).toEqual(['Share prices fell sharply on Monday as investors sold banks.']);
  });

  it('a user can add a site’s chrome as data, and a bad pattern fails at load', () => {
    const custom = compileTextRules({ ...rulesData, chromeLines: [...rulesData.chromeLines, 'Download our app'] });
    expect(texts(cleanText('Download our app\nThe council met on Monday.', custom))).toEqual(['The council met on Monday.']);
    expect(texts(cleanText('Download our app\nThe council met on Monday.'))).toHaveLength(2);
    expect(() => compileTextRules({ ...rulesData, chromePatterns: ['(unclosed'] })).toThrow(/regular expression/);
    expect(() => compileTextRules({ ...rulesData, paragraphs: { resplitMinChars: -1 } })).toThrow();
  });

  it('marks related sections and separators as section blocks', () => {
    const r = cleanText('Title here\nBody text.\nRelated Articles\nOther\n-----\nNext');
    expect(r.blocks.filter((b) => b.type === 'section').map((b) => b.section)).toEqual(['related', 'break']);
  });
});

describe('captions', () => {
  const notes: CutNote[] = [];
  it('takes an inline caption back to its dated scene sentence and keeps the prose around it', () => {
    const p =
      'They left before dark. Tourists at a taxi stand in Hong Kong on May 5. Visitors are spending less of late. | Anthony Kwan / The New York Times Mainland Chinese make up most tourists.';
    const r = extractInlineCaptions(p, TEXT_RULES, notes);
    expect(r.captions).toEqual([{ text: 'Tourists at a taxi stand in Hong Kong on May 5. Visitors are spending less of late.', credit: 'Anthony Kwan / The New York Times' }]);
    expect(r.text).toBe('They left before dark. Mainland Chinese make up most tourists.');
  });

  it('without a dated scene only the last sentence is the caption; unknown outlets need Name / Outlet', () => {
    const r = extractInlineCaptions('One fact here. The harbour at dawn, seen from the hill. | Jo Lee / Harbour Post', TEXT_RULES, notes);
    expect(r.captions).toEqual([{ text: 'The harbour at dawn, seen from the hill.', credit: 'Jo Lee / Harbour Post' }]);
    expect(r.text).toBe('One fact here.');
    expect(extractInlineCaptions('Markets | Reuters', TEXT_RULES, notes).captions).toEqual([]);
  });

  it('a line ending in " |" followed by a credit line is a caption', () => {
    expect(lineCaption('The ship visited the base last August. |', 'Royal New Zealand Navy', TEXT_RULES)).toEqual({ text: 'The ship visited the base last August.', credit: 'Royal New Zealand Navy' });
    expect(lineCaption('The ship visited the base last August. |', 'It then sailed on to the south.', TEXT_RULES)).toBeNull();
    expect(lineCaption('No bar at the end.', 'Royal New Zealand Navy', TEXT_RULES)).toBeNull();
  });
});

describe('paragraphs', () => {
  it('does not end sentences at abbreviations or initials', () => {
    expect(splitSentences('Mr. Smith went to the U.S. on Jan. 5. He met J. Doe there. "Good," he said.')).toEqual([
      'Mr. Smith went to the U.S. on Jan. 5.',
      'He met J. Doe there.',
      '"Good," he said.',
    ]);
  });

  it('re-cuts a long one-line body at sentence ends, losing no text', () => {
    const sentence = (i: number) => `Sentence number ${i} tells a little more of the story in plain words.`;
    const long = Array.from({ length: 40 }, (_, i) => sentence(i)).join(' ');
    const pieces = resplitParagraph(long);
    expect(pieces.length).toBeGreaterThan(3);
    expect(pieces.join(' ')).toBe(long);
    for (const p of pieces) expect(p).toMatch(/\.$/);
    expect(resplitParagraph('Short paragraph.')).toEqual(['Short paragraph.']);
  });

  it('re-joins hard-wrapped lines and words broken across them', () => {
    const r = cleanText(readFileSync(path.join(fixtures, 'hard-wrapped.txt'), 'utf8'));
    const paragraphs = texts(r);
    expect(paragraphs).toHaveLength(4);
    expect(paragraphs[1]).toContain('since the nineteenth century, after');
    expect(paragraphs[2]).toMatch(/^Residents had been continuing to press/);
  });

  it('does not join lines of a dump that is not hard-wrapped', () => {
    const text = 'Short title\nA first paragraph that is a full sentence on its own line.\nA second one.\nA third, also complete.';
    expect(texts(cleanText(text))).toHaveLength(4);
  });
});

describe('robustness', () => {
  it('never throws and never yields empty blocks, whatever the input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (s) => {
        const r = cleanText(s);
        for (const b of r.blocks) if (b.type !== 'section') expect(b.text.trim()).not.toBe('');
      }),
      { numRuns: 300 },
    );
  });
});

describe('markdown pasted as text', () => {
  it('keeps the words of headings, emphasised lines and links, without their markup', () => {
    expect(texts(cleanText('# Lisbon extends tram line\n*By Ana Sousa — 3 March 2025*\nSee [the plan](https://example.com/plan) for details.'))).toEqual([
      'Lisbon extends tram line',
      'By Ana Sousa — 3 March 2025',
      'See the plan for details.',
    ]);
  });
});
