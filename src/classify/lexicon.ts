/**
 * Lexicon scoring: each lexicon term found in an article adds weight × (1 + ln count) to its
 * topics. Input: feature counts. Output: per-topic evidence shares in [0,1] (damped by a prior
 * so that two stray words are not a confident topic) and the terms behind each. Errors: none.
 */
import type { Lexicon } from './rules.js';

export interface CompiledLexicon {
  codes: readonly string[];
  evidenceWeights: Float64Array;
  /** term → (topic index, weight) pairs; a term may cue several topics. */
  entries: ReadonlyMap<string, ReadonlyArray<readonly [number, number]>>;
}

export interface TopicEvidence {
  scores: Float64Array;
  /** Per topic: each lexicon term found and its contribution, in the order the text has them. */
  terms: Array<Array<[string, number]>>;
}

export function compileLexicon(lexicon: Lexicon): CompiledLexicon {
  const entries = new Map<string, Array<readonly [number, number]>>();
  lexicon.topics.forEach((topic, index) => {
    for (const [term, weight] of Object.entries(topic.terms)) {
      const list = entries.get(term) ?? [];
      list.push([index, weight]);
      entries.set(term, list);
    }
  });
  return { codes: lexicon.topics.map((t) => t.code), evidenceWeights: Float64Array.from(lexicon.topics, (t) => t.evidenceWeight), entries };
}

export function scoreLexicon(lexicon: CompiledLexicon, counts: ReadonlyMap<string, number>, prior: number): TopicEvidence {
  const raw = new Float64Array(lexicon.codes.length);
  const terms = lexicon.codes.map((): Array<[string, number]> => []);
  for (const [feature, count] of counts) {
    const hits = lexicon.entries.get(feature);
    if (!hits) continue;
    const damped = 1 + Math.log(count);
    for (const [topic, weight] of hits) {
      const contribution = weight * damped * lexicon.evidenceWeights[topic]!;
      raw[topic]! += contribution;
      // A term is listed once per topic (compileLexicon) and a feature comes once, so no duplicates.
      terms[topic]!.push([feature, contribution]);
    }
  }
  let total = prior;
  for (const s of raw) total += s;
  const scores = raw.map((s) => s / total);
  return { scores, terms };
}
