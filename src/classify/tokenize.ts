/**
 * Word features shared by the lexicon and the linear model, so both read a text the same way.
 * Input: text. Output: lowercase words, then unigram + bigram counts. Errors: none.
 */
import { codeAt, endOfLettersAndDigits, letterOrDigitLength } from './chars.js';

const HYPHEN = 0x2d;

/**
 * End of the word starting at `start` (a letter or digit) in lowercased text: letters and
 * digits, hyphenated words whole ("self-defense"), apostrophes splitting ("china's" → "china",
 * "s"). The words are those of the regex /[\p{L}\p{N}]+(?:-[\p{L}\p{N}]+)*\/gu, scanned by hand
 * because a match array per word made the collector run more often.
 */
function wordEnd(lower: string, start: number): number {
  let end = endOfLettersAndDigits(lower, start);
  while (codeAt(lower, end) === HYPHEN && letterOrDigitLength(lower, end + 1)) end = endOfLettersAndDigits(lower, end + 1);
  return end;
}

export function words(text: string): string[] {
  const lower = text.toLowerCase();
  const out: string[] = [];
  for (let i = 0; i < lower.length; ) {
    if (!letterOrDigitLength(lower, i)) {
      i++;
      continue;
    }
    const end = wordEnd(lower, i);
    out.push(lower.slice(i, end));
    i = end;
  }
  return out;
}

/** Unigram and bigram ("interest rates") counts of a word list, in first-seen order. */
export function featureCounts(tokens: readonly string[], into: Map<string, number> = new Map()): Map<string, number> {
  let prev: string | undefined;
  for (const w of tokens) {
    into.set(w, (into.get(w) ?? 0) + 1);
    if (prev !== undefined) {
      const bigram = `${prev} ${w}`;
      into.set(bigram, (into.get(bigram) ?? 0) + 1);
    }
    prev = w;
  }
  return into;
}

/**
 * The features some scorer knows (lexicon, subtopic and model terms), by their first word:
 * whether the word is a feature itself, and the two-word features it starts (second word →
 * the phrase, so a phrase is found without building its string).
 */
export interface FeatureVocabulary {
  byFirstWord: ReadonlyMap<string, { readonly isFeature: boolean; readonly phrases: ReadonlyMap<string, string> | undefined }>;
  /**
   * A one-hash Bloom filter over the shapes (length, first two and last characters) of the
   * first words: a text word whose bit is clear is not in `byFirstWord`, so it is neither
   * sliced out nor looked up. About 3 in 4 words of a news article are unknown, and ~85% of
   * those are turned away here (false positives only cost the lookup).
   */
  shapes: Uint32Array;
}

const SHAPE_BITS = 1 << 16;

function shapeOf(text: string, start: number, end: number): number {
  const length = end - start;
  let h = length;
  h = (h * 31 + text.charCodeAt(start)) | 0;
  h = (h * 31 + (length > 1 ? text.charCodeAt(start + 1) : 0)) | 0;
  h = (h * 31 + text.charCodeAt(end - 1)) | 0;
  return h & (SHAPE_BITS - 1);
}

function mayBeFirstWord(vocabulary: FeatureVocabulary, text: string, start: number, end: number): boolean {
  const bit = shapeOf(text, start, end);
  return (vocabulary.shapes[bit >>> 5]! & (1 << (bit & 31))) !== 0;
}

export function compileFeatureVocabulary(...termLists: Iterable<string>[]): FeatureVocabulary {
  const byFirstWord = new Map<string, { isFeature: boolean; phrases: Map<string, string> | undefined }>();
  for (const terms of termLists) {
    for (const term of terms) {
      const space = term.indexOf(' ');
      const first = space < 0 ? term : term.slice(0, space);
      let entry = byFirstWord.get(first);
      if (!entry) byFirstWord.set(first, (entry = { isFeature: false, phrases: undefined }));
      if (space < 0) entry.isFeature = true;
      else (entry.phrases ??= new Map()).set(term.slice(space + 1), term);
    }
  }
  const shapes = new Uint32Array(SHAPE_BITS / 32);
  for (const word of byFirstWord.keys()) {
    if (!word) continue; // no text word is empty
    const bit = shapeOf(word, 0, word.length);
    shapes[bit >>> 5]! |= 1 << (bit & 31);
  }
  return { byFirstWord, shapes };
}

/**
 * `featureCounts(words(text), into)` restricted to the features in `vocabulary`, in the same
 * (first-seen) order; returns the number of words. Every scorer ignores the features it does
 * not know, so scores are the same; but a news article has ~230 distinct features of which ~40
 * are known, and building (every bigram's string), counting and then looking up the others
 * was most of the cost of classifying.
 */
function countKnownFeatures(text: string, vocabulary: FeatureVocabulary, into: Map<string, number>): number {
  const lower = text.toLowerCase();
  let wordCount = 0;
  let phrasesOfPrev: ReadonlyMap<string, string> | undefined;
  for (let i = 0; i < lower.length; ) {
    if (!letterOrDigitLength(lower, i)) {
      i++;
      continue;
    }
    const end = wordEnd(lower, i);
    wordCount++;
    // The word matters as a first word, or as the second word of a phrase the previous one starts.
    const maybeFirstWord = mayBeFirstWord(vocabulary, lower, i, end);
    if (maybeFirstWord || phrasesOfPrev) {
      const w = lower.slice(i, end);
      const entry = maybeFirstWord ? vocabulary.byFirstWord.get(w) : undefined;
      if (entry?.isFeature) countOne(into, w);
      const phrase = phrasesOfPrev?.get(w);
      if (phrase !== undefined) countOne(into, phrase);
      phrasesOfPrev = entry?.phrases;
    } else {
      phrasesOfPrev = undefined;
    }
    i = end;
  }
  return wordCount;
}

function countOne(counts: Map<string, number>, feature: string): void {
  counts.set(feature, (counts.get(feature) ?? 0) + 1);
}

/**
 * Features of an article: the title counts `titleRepeat` times because headlines name the
 * subject. With `vocabulary`, only the features it holds are counted (see countKnownFeatures);
 * training counts them all, to choose its vocabulary.
 */
export function articleFeatures(title: string, body: string, titleRepeat: number, vocabulary?: FeatureVocabulary): { counts: Map<string, number>; wordCount: number } {
  const counts = new Map<string, number>();
  if (vocabulary) {
    const bodyWordCount = countKnownFeatures(body, vocabulary, counts);
    let titleWordCount = 0;
    for (let i = 0; i < titleRepeat; i++) titleWordCount = countKnownFeatures(title, vocabulary, counts);
    return { counts, wordCount: bodyWordCount + titleWordCount };
  }
  const bodyWords = words(body);
  featureCounts(bodyWords, counts);
  const titleWords = words(title);
  for (let i = 0; i < titleRepeat; i++) featureCounts(titleWords, counts);
  return { counts, wordCount: bodyWords.length + titleWords.length };
}
