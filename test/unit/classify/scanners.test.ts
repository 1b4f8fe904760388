import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tokenize, type Token } from '../../../src/classify/scan.js';
import { articleFeatures, compileFeatureVocabulary, words } from '../../../src/classify/tokenize.js';

// The scanners are hand-written for speed; these regex versions are their specification.
function wordsByRegex(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+(?:-[\p{L}\p{N}]+)*/gu) ?? [];
}

function tokenizeByRegex(text: string): Token[] {
  const tokens: Token[] = [];
  let lastEnd = -1;
  for (const m of text.matchAll(/[\p{L}\p{N}]+(?:[.'’&-][\p{L}\p{N}]+)*\.?['’]?s?/gu)) {
    let word = m[0];
    const joined = lastEnd >= 0 && m.index > lastEnd && /^ +$/.test(text.slice(lastEnd, m.index));
    lastEnd = m.index + word.length;
    word = word.replace(/['’]s?$/u, '');
    let endsSentence = false;
    if (word.endsWith('.') && !/^(?:\p{L}\.)+$/u.test(word)) {
      word = word.slice(0, -1);
      endsSentence = true;
    }
    tokens.push({ word, joined, capitalized: /^\p{Lu}/u.test(word) });
    if (endsSentence) lastEnd = -1;
  }
  return tokens;
}

// Letters, digits, every joiner and the cases that trip scanners: "İ" grows when lowercased,
// astral letters and emoji are surrogate pairs, lone surrogates are no letters.
const tricky = ['a', 'Z', 's', 'S', '7', "'", '’', '.', '&', '-', ' ', ' ', '\n', ',', 'İ', 'Σ', 'é', 'É', '中', 'ア', '𝐀', '😀', '\ud800', '\udc00', '\u0301', 'Ⅳ', '\u00a0'];
const text = fc.array(fc.constantFrom(...tricky), { maxLength: 24 }).map((cs) => cs.join(''));

describe('classify scanners', () => {
  it('split words exactly as the regex does', () => {
    fc.assert(
      fc.property(text, (t) => {
        expect(words(t)).toEqual(wordsByRegex(t));
      }),
      { numRuns: 3000 },
    );
    expect(words("China's self-defense U.S.-led İstanbul")).toEqual(['china', 's', 'self-defense', 'u', 's', 'led', 'i', 'stanbul']);
  });

  it('tokenize with layout exactly as the regex does', () => {
    fc.assert(
      fc.property(text, (t) => {
        expect(tokenize(t)).toEqual(tokenizeByRegex(t));
      }),
      { numRuns: 3000 },
    );
    expect(tokenize("New Zealand's U.S.-led AT&T. O'Brien ’s").map((t) => t.word)).toEqual(['New', 'Zealand', 'U.S.', 'led', 'AT&T', "O'Brien", 's']);
  });

  it('count only the known features, in the order and numbers of counting them all', () => {
    const terms = ['interest rates', 'bank', 'high', 'rates', 'stay high', 'self-defense'];
    const vocabulary = compileFeatureVocabulary(terms.slice(0, 3), terms.slice(3));
    const phrase = fc.array(fc.constantFrom('Interest', 'interest', 'rates', 'bank', 'Bank’s', 'stay', 'high', 'the', 'self-defense', 'rate', 'banks', ',', '.', '\n'), { maxLength: 30 });
    fc.assert(
      fc.property(phrase, phrase, (title, body) => {
        const all = articleFeatures(title.join(' '), body.join(' '), 2);
        const known = articleFeatures(title.join(' '), body.join(' '), 2, vocabulary);
        expect([...known.counts]).toEqual([...all.counts].filter(([feature]) => terms.includes(feature)));
        expect(known.wordCount).toBe(all.wordCount);
      }),
      { numRuns: 1000 },
    );
  });
});
