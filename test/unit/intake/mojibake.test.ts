import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { repairMojibake, repairMojibakeDetailed, looksLikeMojibake } from '../../../src/intake/mojibake.js';

/** What a tool does when it reads UTF-8 bytes as windows-1252 (undefined bytes kept as C1 controls). */
function misread(text: string): string {
  const cp1252 = new Map<number, string>([[0x80, '€'], [0x82, '‚'], [0x83, 'ƒ'], [0x84, '„'], [0x85, '…'], [0x86, '†'], [0x87, '‡'], [0x88, 'ˆ'], [0x89, '‰'], [0x8a, 'Š'], [0x8b, '‹'], [0x8c, 'Œ'], [0x8e, 'Ž'], [0x91, '‘'], [0x92, '’'], [0x93, '“'], [0x94, '”'], [0x95, '•'], [0x96, '–'], [0x97, '—'], [0x98, '˜'], [0x99, '™'], [0x9a, 'š'], [0x9b, '›'], [0x9c, 'œ'], [0x9e, 'ž'], [0x9f, 'Ÿ']]);
  return [...Buffer.from(text, 'utf8')].map((b) => cp1252.get(b) ?? String.fromCharCode(b)).join('');
}

describe('mojibake repair', () => {
  it('repairs the classic sequences', () => {
    expect(repairMojibake('Itâ€™s')).toBe('It’s');
    expect(repairMojibake('â€œQuoteâ€\u009d')).toBe('“Quote”');
    expect(repairMojibake('cafÃ© â€” naÃ¯ve')).toBe('café — naïve');
    expect(repairMojibake('ðŸ˜€')).toBe('😀');
  });

  it('undoes a double misreading', () => {
    const twice = misread(misread('It’s déjà vu'));
    expect(repairMojibakeDetailed(twice)).toEqual({ text: 'It’s déjà vu', repaired: expect.any(Number) });
  });

  it('leaves correct text alone, including Latin text that looks suspicious', () => {
    for (const text of ['naïve café', 'Ãgua de coco', 'São Paulo — “ok”', '東京', 'Â', 'plain ASCII']) {
      expect(repairMojibake(text)).toBe(text);
    }
    expect(looksLikeMojibake('naïve café')).toBe(false);
  });

  it('round-trips: misread(text) repairs back to text for any text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (text) => {
        // Text that itself contains mojibake-like pairs is ambiguous by nature; skip it.
        fc.pre(!looksLikeMojibake(text));
        expect(repairMojibake(misread(text))).toBe(text);
      }),
      { numRuns: 300 },
    );
  });
});
