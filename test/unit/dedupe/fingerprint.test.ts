import { createHash } from 'node:crypto';
import { describe, it, expect } from 'vitest';
import { fingerprint } from '../../../src/dedupe/fingerprint.js';
import { dedupeOptions, indexFormatTag, DEFAULT_DEDUPE_OPTIONS as O } from '../../../src/dedupe/options.js';
import { compareSignatures, isCopy } from '../../../src/dedupe/similarity.js';
import { normalizeForHash } from '../../../src/dedupe/normalize.js';
import { story, truncated } from './texts.js';

const fp = (t: string) => fingerprint(normalizeForHash(t), O);
const compare = (a: string, b: string) => {
  const x = fp(a);
  const y = fp(b);
  return compareSignatures(x.signature, x.size, y.signature, y.size);
};

describe('fingerprint', () => {
  it('is the same for the same text, re-cased, re-quoted and re-wrapped', () => {
    const text = story(1, 300);
    const variant = text.toUpperCase().replace(/ /g, (s, i: number) => (i % 50 === 0 ? '\n' : s));
    expect(Buffer.from(fp(variant).signature)).toEqual(Buffer.from(fp(text).signature));
    expect(fp(`"${text}"`).bandKeys).toEqual(fp(text).bandKeys);
  });

  it('sees a truncated copy as contained in its original, and an unrelated story as not', () => {
    const text = story(2, 600);
    const copy = compare(truncated(text, 0.3), text);
    expect(copy.containment).toBeGreaterThan(0.8);
    expect(isCopy(copy, O)).toBe(true);
    const other = compare(story(3, 600), text);
    expect(other.containment).toBeLessThan(0.2);
    expect(isCopy(other, O)).toBe(false);
  });

  it('keeps matching a copy whose words have typos past their first letters', () => {
    const text = story(4, 400);
    const typos = text.split(' ').map((w, i) => (i % 7 === 0 && w.length > 5 ? `${w.slice(0, -1)}x` : w)).join(' ');
    expect(isCopy(compare(typos, text), O)).toBe(true);
  });

  it('also works on character shingles', () => {
    const o = dedupeOptions({ shingleUnit: 'chars', shingleSize: 6 });
    const text = normalizeForHash(story(5, 400));
    const x = fingerprint(text.slice(0, text.length / 2), o);
    const y = fingerprint(text, o);
    expect(isCopy(compareSignatures(x.signature, x.size, y.signature, y.size), o)).toBe(true);
    const z = fingerprint(normalizeForHash(story(6, 400)), o);
    expect(isCopy(compareSignatures(z.signature, z.size, y.signature, y.size), o)).toBe(false);
  });

  it('stays byte for byte what stored indexes hold (digests taken before the one-pass rewrite)', () => {
    // A changed fingerprint must come with a new index format (options.ts), or a live index
    // would compare new signatures with old ones: this pins it.
    const digest = (text: string, o = O) => {
      const f = fingerprint(text, o);
      const h = createHash('sha256').update(`${f.size}|${f.survival}|`).update(f.signature).update(new Uint8Array(f.bandKeys.buffer));
      return h.digest('hex').slice(0, 16);
    };
    const spaced = `  ${normalizeForHash(story(2, 80)).replace(/ /g, '  ')} `;
    const chars = dedupeOptions({ shingleUnit: 'chars', shingleSize: 5 });
    expect(digest(normalizeForHash(story(1, 300)))).toBe('71431b50728e46eb');
    expect(digest(spaced)).toBe('d788c466de90a86a');
    expect(digest(normalizeForHash(story(1, 300)), chars)).toBe('024b9a572ebaaf5b');
    expect(digest(spaced, chars)).toBe('9fd461886f5c6064');
  });

  it('counts distinct shingles', () => {
    expect(fp('a b c a b c a b c').size).toBe(3);
    expect(fp('').size).toBe(0);
  });

  it('rejects inconsistent options', () => {
    expect(() => dedupeOptions({ permutations: 64, bands: 48, rows: 2 })).toThrow(/bands × rows/);
    expect(() => dedupeOptions({ permutations: 100 })).toThrow(/power of two/);
    expect(dedupeOptions({ bands: 16 }).bands).toBe(16);
  });
});

describe('index format tag', () => {
  it('changes with what shapes stored fingerprints, not with decision thresholds', () => {
    const base = indexFormatTag(dedupeOptions());
    expect(indexFormatTag(dedupeOptions({ containmentThreshold: 0.5, maxCandidates: 4 }))).toBe(base);
    for (const shape of [{ shingleSize: 3 }, { wordPrefix: 4 }, { permutations: 128 }, { bands: 24 }, { seed: 7 }, { shingleUnit: 'chars' as const }]) {
      expect(indexFormatTag(dedupeOptions(shape))).not.toBe(base);
    }
  });
});
