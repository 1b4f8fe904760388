/** The character-noise estimate and the noise-lowered threshold, on English text (the estimate is for English). */
import { describe, it, expect } from 'vitest';
import { fingerprint } from '../../../src/dedupe/fingerprint.js';
import { rarePairShare, shingleSurvival } from '../../../src/dedupe/noise.js';
import { DEFAULT_DEDUPE_OPTIONS as O } from '../../../src/dedupe/options.js';
import { compareSignatures, isCopy } from '../../../src/dedupe/similarity.js';
import { normalizeForHash } from '../../../src/dedupe/normalize.js';
import { ARTICLE, FOLLOW_UP, corrupted, story } from './texts.js';

const fp = (t: string) => fingerprint(normalizeForHash(t), O);
const copy = (a: string, b: string) => {
  const x = fp(a);
  const y = fp(b);
  return isCopy(compareSignatures(x.signature, x.size, y.signature, y.size), O, x.survival, y.survival);
};

describe('noise estimate', () => {
  it('sees clean English as clean and 5% character noise as noise', () => {
    expect(rarePairShare(normalizeForHash(ARTICLE))).toBeLessThan(O.noiseFloor);
    expect(shingleSurvival(normalizeForHash(ARTICLE), O)).toBe(255);
    const noisy = shingleSurvival(normalizeForHash(corrupted(ARTICLE, 0.05, 1)), O);
    expect(noisy).toBeGreaterThan(255 * 0.55);
    expect(noisy).toBeLessThan(255 * 0.85);
    expect(shingleSurvival(normalizeForHash(corrupted(ARTICLE, 0.1, 1)), O)).toBeLessThan(noisy);
  });

  it('assumes no noise in text that is not English-like (random test words, other scripts)', () => {
    expect(shingleSurvival(normalizeForHash(story(1, 300)), O)).toBe(255);
    expect(shingleSurvival(normalizeForHash('новости дня '.repeat(50)), O)).toBe(255);
  });
});

describe('near copies under character noise', () => {
  it('matches a corrupted copy of an article with its corrupted original', () => {
    let matched = 0;
    for (let seed = 1; seed <= 20; seed++) if (copy(corrupted(ARTICLE, 0.05, seed), corrupted(ARTICLE, 0.05, seed + 100))) matched++;
    expect(matched).toBeGreaterThanOrEqual(18);
    // and with the clean original
    expect(copy(corrupted(ARTICLE, 0.05, 7), ARTICLE)).toBe(true);
  });

  it('does not match a follow-up quoting two of its paragraphs, clean or corrupted', () => {
    expect(copy(FOLLOW_UP, ARTICLE)).toBe(false);
    for (let seed = 1; seed <= 20; seed++) expect(copy(corrupted(FOLLOW_UP, 0.05, seed), corrupted(ARTICLE, 0.05, seed + 100))).toBe(false);
  });

  it('keeps the clean threshold between clean texts', () => {
    const x = fp(ARTICLE);
    const y = fp(FOLLOW_UP);
    const m = compareSignatures(x.signature, x.size, y.signature, y.size);
    expect(isCopy(m, O, x.survival, y.survival)).toBe(isCopy(m, O));
  });
});
