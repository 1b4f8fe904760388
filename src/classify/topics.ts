/**
 * Topic scoring: the lexicon's evidence and the linear model's probabilities, blended by the
 * model's `lexiconWeight`, give up to `maxTopics` IPTC topics, best first, each with the terms
 * that weighed most. Input: feature counts, compiled lexicon, optional compiled model.
 * Output: topics and whether a person should review them. Errors: none.
 */
import type { Topic } from '../schema/pipeline.js';
import { scoreLexicon, type CompiledLexicon } from './lexicon.js';
import { predictModel, type CompiledModel } from './model.js';
import { TOPIC_LABELS, type Thresholds } from './rules.js';

export interface TopicResult {
  topics: Topic[];
  needsReview: boolean;
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

export function scoreTopics(lexicon: CompiledLexicon, model: CompiledModel | undefined, counts: ReadonlyMap<string, number>, rules: Thresholds['topics'] & { unexplaining: ReadonlySet<string> }): TopicResult {
  const lexiconShare = model ? model.source.lexiconWeight : 1;
  const evidence = scoreLexicon(lexicon, counts, rules.lexiconEvidencePrior);
  const prediction = model && lexiconShare < 1 ? predictModel(model, counts) : undefined;

  const combined = new Map<string, number>();
  lexicon.codes.forEach((code, i) => combined.set(code, lexiconShare * evidence.scores[i]!));
  if (prediction) {
    model!.source.classes.forEach((code, c) => combined.set(code, (combined.get(code) ?? 0) + (1 - lexiconShare) * prediction.probabilities[c]!));
  }
  const ranked = [...combined.entries()].sort((a, b) => b[1] - a[1]);
  const [top, second] = ranked;
  if (!top || top[1] <= 0) return { topics: [], needsReview: true };

  const explain = (code: string): string[] => {
    const weights = new Map<string, number>();
    const addShare = (pairs: Iterable<[string, number]>, share: number) => {
      const list = [...pairs];
      const total = list.reduce((s, [, w]) => s + w, 0);
      if (total > 0) for (const [term, w] of list) weights.set(term, (weights.get(term) ?? 0) + (share * w) / total);
    };
    const li = lexicon.codes.indexOf(code);
    if (li >= 0) addShare(evidence.terms[li]!, lexiconShare);
    const mi = model ? model.source.classes.indexOf(code) : -1;
    if (prediction && mi >= 0) addShare(prediction.contributions(mi, rules.explainTerms * 2), 1 - lexiconShare);
    return [...weights.entries()].filter(([t]) => !rules.unexplaining.has(t)).sort((a, b) => b[1] - a[1]).slice(0, rules.explainTerms).map(([t]) => t);
  };

  const topics: Topic[] = ranked
    .slice(0, rules.maxTopics)
    .filter(([, score], i) => i === 0 || score >= rules.minSecondaryScore)
    .map(([code, score]) => ({ code, label: TOPIC_LABELS.get(code) ?? code, score: round3(Math.min(1, score)), terms: explain(code), level: 1 }));
  const margin = top[1] - (second?.[1] ?? 0);
  return { topics, needsReview: top[1] < rules.reviewBelowTopScore || margin < rules.reviewBelowMargin };
}
