import { describe, expect, it } from 'vitest';
import { decodeEntities, normalizeInvisibles, repairMojibake } from '../../../src/clean/text/repair.js';
import { fixSpacing, normalizeQuotes } from '../../../src/clean/text/typography.js';

describe('character repair', () => {
  it('re-reads UTF-8 that was decoded as windows-1252', () => {
    expect(repairMojibake('the bankâ€™s guidance â€œnowâ€\u009d â€” cafÃ© naÃ¯ve')).toBe('the bank’s guidance “now” — café naïve');
  });

  it('leaves real Latin-1 text alone', () => {
    const latin = 'À bientôt, à la française? São Paulo, Düsseldorf, Æsir ×2';
    expect(repairMojibake(latin)).toBe(latin);
  });

  it('decodes named and numeric entities and keeps unknown ones', () => {
    expect(decodeEntities('Barclays &amp; HSBC &quot;hold&quot; &#8217;90s &#x2014; &bogus; 5 &lt; 6')).toBe('Barclays & HSBC "hold" ’90s — &bogus; 5 < 6');
  });

  it('turns odd spaces into plain ones and drops invisible characters', () => {
    expect(normalizeInvisibles('a\u00A0b\u200Bc\u00ADd\r\ne')).toBe('a bcd\ne');
  });
});

describe('spacing', () => {
  it('removes the space before punctuation but keeps ellipses and decimals', () => {
    expect(fixSpacing('the first time ever .')).toBe('the first time ever.');
    expect(fixSpacing('Well , yes ; no !')).toBe('Well, yes; no!');
    expect(fixSpacing('the intelligence ... shared')).toBe('the intelligence ... shared');
    expect(fixSpacing('a rate of .5 percent')).toBe('a rate of .5 percent');
  });

  it('spaces a dash on both sides when it was spaced on one', () => {
    expect(fixSpacing('this year —a step')).toBe('this year — a step');
    expect(fixSpacing('2020–2021 and well—known')).toBe('2020–2021 and well—known');
  });
});

describe('quotes', () => {
  it('closes a quotation opened with one kind of quote and closed with the other consistently', () => {
    expect(normalizeQuotes(`'We're working closely with Japan," Collins said.`)).toBe(`"We're working closely with Japan," Collins said.`);
    expect(normalizeQuotes(`they call themselves "special forces tourists': independent`)).toBe(`they call themselves "special forces tourists": independent`);
    expect(normalizeQuotes(`"Even for Singapore, it's rare,' he said. "And if you do?' Hong Kong`)).toBe(`"Even for Singapore, it's rare," he said. "And if you do?" Hong Kong`);
  });

  it('keeps matched quotes, apostrophes and plural possessives', () => {
    const text = `'It's an increase,' Collins said of the players' union and her country's 'Five Eyes' role.`;
    expect(normalizeQuotes(text)).toBe(text);
    expect(normalizeQuotes(`"The players' union agreed," he said.`)).toBe(`"The players' union agreed," he said.`);
  });
});
