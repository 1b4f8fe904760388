/**
 * Word features shared by the lexicon and the linear model, so both read a text the same way.
 * Input: text. Output: lowercase words, then unigram + bigram counts. Errors: none.
 */

// Hyphenated words stay whole ("self-defense", "file-sharing"); apostrophes split ("china's" → "china", "s").
const WORD = /[\p{L}\p{N}]+(?:-[\p{L}\p{N}]+)*/gu;

export function words(text: string): string[] {
  return text.toLowerCase().match(WORD) ?? [];
}

/**
 * Unigram and bigram ("interest rates") counts of a word list. With `bigramStarts`, only
 * bigrams whose first word starts a known phrase are built: scoring needs no others, and
 * building every bigram string is most of the cost.
 */
export function featureCounts(tokens: readonly string[], into: Map<string, number> = new Map(), bigramStarts?: ReadonlySet<string>): Map<string, number> {
  let prev: string | undefined;
  for (const w of tokens) {
    into.set(w, (into.get(w) ?? 0) + 1);
    if (prev !== undefined && (!bigramStarts || bigramStarts.has(prev))) {
      const bigram = `${prev} ${w}`;
      into.set(bigram, (into.get(bigram) ?? 0) + 1);
    }
    prev = w;
  }
  return into;
}

/** Features of an article: the title counts `titleRepeat` times because headlines name the subject. */
export function articleFeatures(title: string, body: string, titleRepeat: number, bigramStarts?: ReadonlySet<string>): { counts: Map<string, number>; wordCount: number } {
  const bodyWords = words(body);
  const counts = featureCounts(bodyWords, new Map(), bigramStarts);
  const titleWords = words(title);
  for (let i = 0; i < titleRepeat; i++) featureCounts(titleWords, counts, bigramStarts);
  return { counts, wordCount: bodyWords.length + titleWords.length };
}

/** First words of the two-word phrases in `terms`. */
export function bigramStartsOf(terms: Iterable<string>, into: Set<string> = new Set()): Set<string> {
  for (const t of terms) {
    const space = t.indexOf(' ');
    if (space > 0) into.add(t.slice(0, space));
  }
  return into;
}
