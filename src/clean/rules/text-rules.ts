/**
 * The text-dump cleaner's heuristics, loaded from text-rules.json and checked by zod at
 * load so a bad edit fails loudly at start-up instead of silently keeping chrome.
 * Input: the JSON data (or a user's extended copy via `compileTextRules`). Output: compiled rules.
 * Errors: a ZodError / SyntaxError naming the bad entry.
 */
import { z } from 'zod';
import data from './text-rules.json' with { type: 'json' };

const regexSource = z.string().refine((s) => {
  try {
    new RegExp(s, 'iu');
    return true;
  } catch {
    return false;
  }
}, 'not a valid regular expression');

export const TextRulesSchema = z.object({
  chromeLines: z.array(z.string().min(1)),
  chromePatterns: z.array(regexSource),
  maxChromeLineChars: z.number().int().positive(),
  sections: z.record(z.string(), z.array(z.string().min(1))),
  /** Section headings with a count or other variable part ("[167 comments]"). */
  sectionPatterns: z.record(z.string(), z.array(regexSource)).default({}),
  articleSeparatorPattern: regexSource,
  /** A line in a related list that marks an item (time, date, "- Source"); a "Related" box without any is inline. */
  relatedItemCuePattern: regexSource,
  /** Longest line that counts as such a cue: a time or source line, not a teaser title that names a year. */
  relatedItemCueMaxChars: z.number().int().positive().default(40),
  captionCredit: z.object({
    outlets: z.array(z.string().min(1)),
    maxCaptionSentences: z.number().int().min(1),
    maxCreditWords: z.number().int().min(1),
    captionLeadPattern: regexSource,
    lineCreditPattern: regexSource,
  }),
  paragraphs: z.object({
    resplitMinChars: z.number().int().positive(),
    targetChars: z.number().int().positive(),
    maxSentencesPerParagraph: z.number().int().min(1),
  }),
  hardWrap: z.object({
    maxWidth: z.number().int().positive(),
    minWidth: z.number().int().positive(),
    minFillRatio: z.number().min(0).max(1),
    minWrappedShare: z.number().min(0).max(1),
    minLines: z.number().int().min(2),
  }),
  abbreviations: z.array(z.string().min(1)),
  boilerplate: z.object({
    lengthLow: z.number().int().positive(),
    lengthHigh: z.number().int().positive(),
    stopwordsLow: z.number().min(0).max(1),
    stopwordsHigh: z.number().min(0).max(1),
    shortSentenceMinWords: z.number().int().min(1),
    shortSentenceStopwordsMin: z.number().min(0).max(1),
    /** Stopword density above which a long line that ends a sentence is near-good although below stopwordsLow. */
    sentenceStopwordsMin: z.number().min(0).max(1),
    /** Title-like lines (shorter than maxTitleLikeChars, no sentence end) in a row, after good text, that make a teaser list. */
    minTeaserRunLines: z.number().int().min(2),
    /** The same, for a run right above a good line (it may be a heading group of the article). */
    minTeaserRunLinesBeforeGood: z.number().int().min(2),
    maxTitleLikeChars: z.number().int().positive(),
    /** Numbered lines (1, 2, 3, ... in order) that make a written list, kept next to good text; lines allowed between items. */
    minNumberedItems: z.number().int().min(2),
    maxLinesBetweenNumbered: z.number().int().nonnegative(),
    /** Repeated good lines are dropped as teasers only if at least this much good text (chars) is not repeated. */
    minUniqueGoodChars: z.number().int().nonnegative(),
    maxHeadingDistance: z.number().int().nonnegative(),
    /** Furniture lines in a row that part two clusters of good text. */
    maxGapLines: z.number().int().min(1),
    /** Near-good lines in a row (one sentence per line) that together count as good text. */
    minNeargoodRunLines: z.number().int().min(2),
    /** The first cluster of good text at least this share of the biggest one is taken as the article. */
    clusterShareOfBiggest: z.number().gt(0).max(1),
    minLanguageDensity: z.number().min(0).max(1),
    stopwords: z.record(z.string(), z.array(z.string().min(1)).min(1)),
  }),
});
export type TextRulesData = z.infer<typeof TextRulesSchema>;

export interface TextRules extends TextRulesData {
  /** Normalized chrome phrase → the phrase as written (for notes). */
  chromeLineSet: Map<string, string>;
  chromeRegexes: { source: string; re: RegExp }[];
  /** Normalized section heading → section name ("related"). */
  sectionByHeading: Map<string, string>;
  sectionRegexes: { section: string; re: RegExp }[];
  separator: RegExp;
  captionLead: RegExp;
  relatedItemCue: RegExp;
  lineCredit: RegExp;
  abbreviationSet: Set<string>;
  stopwordSets: Map<string, Set<string>>;
}

/** How a line is compared with the phrase lists: case, spacing and trailing "..." / ":" do not matter. */
export function normalizeLineKey(line: string): string {
  return line
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .replace(/[\s.:…!|•·-]+$/u, '')
    .replace(/^[\s•·|-]+/u, '')
    .trim();
}

export function compileTextRules(input: unknown): TextRules {
  const rules = TextRulesSchema.parse(input);
  const sectionByHeading = new Map<string, string>();
  for (const [name, headings] of Object.entries(rules.sections)) {
    for (const h of headings) sectionByHeading.set(normalizeLineKey(h), name);
  }
  return {
    ...rules,
    chromeLineSet: new Map(rules.chromeLines.map((p) => [normalizeLineKey(p), p])),
    chromeRegexes: rules.chromePatterns.map((source) => ({ source, re: new RegExp(source, 'iu') })),
    sectionByHeading,
    sectionRegexes: Object.entries(rules.sectionPatterns).flatMap(([section, sources]) => sources.map((s) => ({ section, re: new RegExp(s, 'iu') }))),
    separator: new RegExp(rules.articleSeparatorPattern, 'u'),
    relatedItemCue: new RegExp(rules.relatedItemCuePattern, 'iu'),
    captionLead: new RegExp(rules.captionCredit.captionLeadPattern, 'u'),
    lineCredit: new RegExp(rules.captionCredit.lineCreditPattern, 'u'),
    abbreviationSet: new Set(rules.abbreviations.map((a) => a.toLowerCase())),
    stopwordSets: new Map(Object.entries(rules.boilerplate.stopwords).map(([lang, words]) => [lang, new Set(words.map((w) => w.toLowerCase()))])),
  };
}

export const TEXT_RULES: TextRules = compileTextRules(data);
