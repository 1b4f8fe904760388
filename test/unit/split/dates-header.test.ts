import { describe, expect, it } from 'vitest';
import { dateLine, findAbsoluteDate, parseGivenDate, relativeTime } from '../../../src/split/dates.js';
import { bylineAuthors, isSourceLike, isTitleLike } from '../../../src/split/header.js';
import { compileSplitRules, SPLIT_RULES } from '../../../src/split/rules.js';
import rulesData from '../../../src/split/split-rules.json' with { type: 'json' };

const at = '2025-06-09T09:00:00.000Z';
const minus = (ms: number) => new Date(Date.parse(at) - ms).toISOString();

describe('relative times resolve against the capture time', () => {
  it.each([
    ['37 minutes ago', minus(37 * 60_000)],
    ['an hour ago', minus(3_600_000)],
    ['a minute ago', minus(60_000)],
    ['2 days ago', minus(2 * 86_400_000)],
    ['5h ago', minus(5 * 3_600_000)],
    ['3 hrs ago', minus(3 * 3_600_000)],
    ['1 week ago', minus(7 * 86_400_000)],
    ['yesterday', minus(86_400_000)],
    ['Just now', at],
  ])('%s', (phrase, value) => {
    expect(relativeTime(phrase, at, SPLIT_RULES)).toEqual({ value, method: 'relative', raw: phrase });
  });

  it('ignores sentences that merely contain a time', () => {
    expect(relativeTime('He arrived 37 minutes ago with the papers', at, SPLIT_RULES)).toBeNull();
    expect(relativeTime('ago', at, SPLIT_RULES)).toBeNull();
  });
});

describe('absolute dates with their time zone', () => {
  it.each([
    ['News from Japan Society Jun 9, 2025 16:54 (JST) Tokyo', '2025-06-09T07:54:00.000Z', 'Jun 9, 2025 16:54 (JST)'],
    ['June 9, 2025 4:54 p.m. EDT', '2025-06-09T20:54:00.000Z', 'June 9, 2025 4:54 p.m. EDT'],
    ['Updated 9 June 2025, 10:05 BST', '2025-06-09T09:05:00.000Z', '9 June 2025, 10:05 BST'],
    ['Monday, Sept. 1, 2025', '2025-09-01T00:00:00.000Z', 'Monday, Sept. 1, 2025'],
    ['2025-06-09T10:00:00+02:00', '2025-06-09T08:00:00.000Z', '2025-06-09T10:00:00+02:00'],
    ['Jun 9, 2025 16:54 +0900', '2025-06-09T07:54:00.000Z', 'Jun 9, 2025 16:54 +0900'],
  ])('%s', (text, iso, raw) => {
    expect(findAbsoluteDate(text, SPLIT_RULES)).toMatchObject({ iso, raw });
  });

  it('rejects impossible dates and does not take a place name for a zone', () => {
    expect(findAbsoluteDate('Feb 30, 2025', SPLIT_RULES)).toBeNull();
    expect(findAbsoluteDate('Jun 9, 2025 Tokyo', SPLIT_RULES)).toMatchObject({ raw: 'Jun 9, 2025' });
  });

  it('a date line is a line that is only a date', () => {
    expect(dateLine('Published: June 9, 2025', SPLIT_RULES)?.iso).toBe('2025-06-09T00:00:00.000Z');
    expect(dateLine('The law passed on June 9, 2025 after a long debate.', SPLIT_RULES)).toBeNull();
  });

  it('record fields in other shapes still parse, and nonsense gives null', () => {
    expect(parseGivenDate('Mon, 09 Jun 2025 07:54:00 GMT', SPLIT_RULES)).toBe('2025-06-09T07:54:00.000Z');
    expect(parseGivenDate('soon', SPLIT_RULES)).toBeNull();
  });
});

describe('header lines', () => {
  it('reads bylines, with several authors and an outlet', () => {
    expect(bylineAuthors('By Jane Doe', SPLIT_RULES)).toEqual({ authors: ['Jane Doe'] });
    expect(bylineAuthors('By Jane Doe and John Roe', SPLIT_RULES)).toEqual({ authors: ['Jane Doe', 'John Roe'] });
    expect(bylineAuthors('By Ana Silva, AP', SPLIT_RULES)).toEqual({ authors: ['Ana Silva'], outlet: 'AP' });
    expect(bylineAuthors('By Ludwig van Beethoven | Vienna Post', SPLIT_RULES)).toEqual({ authors: ['Ludwig van Beethoven'], outlet: 'Vienna Post' });
    expect(bylineAuthors('By the end of the year prices had doubled.', SPLIT_RULES)).toBeNull();
    expect(bylineAuthors('by and large', SPLIT_RULES)).toBeNull();
  });

  it('tells titles from sentences and source names', () => {
    expect(isTitleLike('Can big stars bring higher-spending tourists back to Hong Kong?', SPLIT_RULES)).toBe(true);
    expect(isTitleLike('It was almost at capacity during the tournament.', SPLIT_RULES)).toBe(false);
    expect(isSourceLike('Japan Times', SPLIT_RULES)).toBe(true);
    expect(isSourceLike('After the US imposed steep tariffs on China, a surge of exports', SPLIT_RULES)).toBe(false);
  });

  it('rules are data checked at load', () => {
    expect(() => compileSplitRules({ ...rulesData, minArticleWords: 0 })).toThrow();
    expect(() => compileSplitRules({ ...rulesData, datelinePatterns: ['(('] })).toThrow(/regular expression/);
    const custom = compileSplitRules({ ...rulesData, timeZones: { ...rulesData.timeZones, NPT: 345 } });
    expect(findAbsoluteDate('Jun 9, 2025 12:00 NPT', custom)?.iso).toBe('2025-06-09T06:15:00.000Z');
  });
});
