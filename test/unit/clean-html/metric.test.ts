import { describe, expect, it } from 'vitest';
import { aggregate, scorePage, tokenize } from '../../bench/lib/extraction-metric.js';

describe('extraction metric (shingle overlap of ../shared/bench/README.md)', () => {
  it('tokenizes like Python \\w+ with Unicode: letters, digits, underscore', () => {
    expect(tokenize('Größe: 40,5 km — snake_case, “ok”!')).toEqual(['Größe', '40', '5', 'km', 'snake_case', 'ok']);
  });

  it('scores identical text as perfect and disjoint text as zero', () => {
    const text = 'one two three four five six';
    expect(scorePage(text, text)).toEqual({ tp: 1, fp: 0, fn: 0, exact: true });
    const m = aggregate([scorePage(text, 'seven eight nine ten eleven')]);
    expect(m.f1).toBe(0);
  });

  it('normalizes per page by TP+FP+FN and counts repeated shingles as a multiset', () => {
    // truth: 3 shingles (a b c d, b c d e, c d e f); prediction adds one extra shingle.
    const s = scorePage('a b c d e f', 'a b c d e f g');
    expect(s.tp).toBeCloseTo(3 / 4);
    expect(s.fp).toBeCloseTo(1 / 4);
    expect(s.fn).toBe(0);
    const repeated = scorePage('a b c d', 'a b c d a b c d');
    expect(repeated.tp).toBeCloseTo(1 / 5);
  });

  it('averages precision and recall over pages, then takes F1 of the means', () => {
    const full = scorePage('a b c d e', 'a b c d e');
    const half = scorePage('a b c d e', 'a b c d');
    const m = aggregate([full, half]);
    expect(m.precision).toBe(1);
    expect(m.recall).toBeCloseTo((1 + 0.5) / 2);
    expect(m.f1).toBeCloseTo((2 * 1 * 0.75) / 1.75);
    expect(m.accuracy).toBe(0.5);
  });

  it('treats a text shorter than a shingle as one short shingle, like the reference', () => {
    expect(scorePage('two words', 'two words').tp).toBe(1);
    expect(scorePage('two words', 'other words').tp).toBe(0);
  });
});
