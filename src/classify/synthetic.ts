/**
 * Synthetic training text sampled from the IPTC lexicon, so the shipped default model is
 * trained only on data we wrote (the lexicon) — never on research-only corpora.
 * Input: a lexicon and sizes. Output: labelled examples: mostly the topic's own terms (drawn in
 * proportion to their weight), mixed with terms of other topics so the model learns which
 * words separate topics rather than which merely occur. Errors: none.
 */
import type { Lexicon } from './rules.js';
import { seededRandom, type LabeledExample } from './train.js';

export interface SyntheticOptions {
  docsPerTopic: number;
  termsPerDoc: number;
  /** Share of each document's terms drawn from other topics. */
  noise: number;
  seed: number;
}

export function lexiconCorpus(lexicon: Lexicon, opts: SyntheticOptions): LabeledExample[] {
  const random = seededRandom(opts.seed);
  const pools = lexicon.topics.map((t) => {
    const terms = Object.entries(t.terms);
    const total = terms.reduce((s, [, w]) => s + w, 0);
    return { terms, total };
  });
  const draw = (pool: (typeof pools)[number]): string => {
    let r = random() * pool.total;
    for (const [term, w] of pool.terms) if ((r -= w) <= 0) return term;
    return pool.terms[pool.terms.length - 1]![0];
  };
  const examples: LabeledExample[] = [];
  lexicon.topics.forEach((topic, t) => {
    for (let d = 0; d < opts.docsPerTopic; d++) {
      const words: string[] = [];
      for (let i = 0; i < opts.termsPerDoc; i++) {
        const other = random() < opts.noise;
        words.push(draw(pools[other ? Math.floor(random() * pools.length) : t]!));
      }
      // Full stops keep phrases apart in spirit; bigrams across them are rare enough to drop by minDf.
      examples.push({ text: words.join('. '), label: topic.code });
    }
  });
  return examples;
}
