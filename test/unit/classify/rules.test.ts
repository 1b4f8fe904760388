import { describe, expect, it } from 'vitest';
import { GazetteerSchema, LEXICON, LexiconSchema, resolveLabel } from '../../../src/classify/rules.js';
import { getDefaultModel } from '../../../src/classify/index.js';

describe('classify data files', () => {
  it('the lexicon covers the 17 IPTC top-level Media Topics', () => {
    const codes = LEXICON.topics.map((t) => t.code).sort();
    expect(codes).toEqual(Array.from({ length: 17 }, (_, i) => `medtop:${String(i + 1).padStart(2, '0')}000000`));
  });

  it('resolves training label aliases', () => {
    expect(resolveLabel('business')).toBe('medtop:04000000');
    expect(resolveLabel('Tech')).toBe('medtop:13000000');
    expect(resolveLabel('entertainment')).toBe('medtop:01000000');
    expect(resolveLabel('medtop:16000000')).toBe('medtop:16000000');
    expect(resolveLabel('gardening tips')).toBeUndefined();
  });

  it('rejects malformed lexicon and gazetteer entries', () => {
    const topic = { code: 'medtop:04000000', label: 'economy', terms: { economy: 3 } };
    expect(LexiconSchema.safeParse({ topics: [topic] }).success).toBe(true);
    expect(LexiconSchema.safeParse({ topics: [{ ...topic, terms: { 'bank of england': 3 } }] }).success).toBe(false);
    expect(LexiconSchema.safeParse({ topics: [{ ...topic, terms: { Economy: 3 } }] }).success).toBe(false);
    expect(LexiconSchema.safeParse({ topics: [topic, topic] }).success).toBe(false);
    expect(GazetteerSchema.safeParse({ places: [{ code: 'nz', name: 'New Zealand' }] }).success).toBe(false);
  });

  it('the shipped model was trained on lexicon-derived text, not on a research corpus', () => {
    const model = getDefaultModel().source;
    expect(model.trainedOn.description).toMatch(/lexicon/);
    expect(model.trainedOn.description).not.toMatch(/bbc/i);
    expect(model.classes).toHaveLength(17);
  });
});
