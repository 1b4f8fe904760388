/**
 * Topic scoring: the lexicon's evidence and the linear model's probabilities, blended by the
 * model's `lexiconWeight`, give up to `maxTopics` IPTC topics, best first, each with the terms
 * that weighed most. Input: feature counts, compiled lexicon, optional compiled model.
 * Output: topics and whether a person should review them. Errors: none.
 */
import type { Topic } from '../schema/pipeline.js';
import { scoreLexicon, type CompiledLexicon, type TopicEvidence } from './lexicon.js';
import { predictModel, type CompiledModel, type ModelPrediction } from './model.js';
import { TOPIC_LABELS, type Thresholds } from './rules.js';

export interface TopicResult {
  topics: Topic[];
  needsReview: boolean;
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

type TopicRules = Thresholds['topics'] & { unexplaining: ReadonlySet<string> };

export function scoreTopics(lexicon: CompiledLexicon, model: CompiledModel | undefined, counts: ReadonlyMap<string, number>, rules: TopicRules): TopicResult {
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

  const topics: Topic[] = ranked
    .slice(0, rules.maxTopics)
    .filter(([, score], i) => i === 0 || score >= rules.minSecondaryScore)
    .map(([code, score]) => ({ code, label: TOPIC_LABELS.get(code) ?? code, score: round3(Math.min(1, score)), terms: explainingTerms(code, lexicon, evidence, model, prediction, rules), level: 1 }));
  const margin = top[1] - (second?.[1] ?? 0);
  return { topics, needsReview: top[1] < rules.reviewBelowTopScore || margin < rules.reviewBelowMargin };
}

/** The terms that weighed most for `code`: lexicon and model contributions, each normalized and weighted by its share of the score. */
function explainingTerms(code: string, lexicon: CompiledLexicon, evidence: TopicEvidence, model: CompiledModel | undefined, prediction: ModelPrediction | undefined, rules: TopicRules): string[] {
  const lexiconShare = model ? model.source.lexiconWeight : 1;
  const weights = new Map<string, number>();
  const li = lexicon.codes.indexOf(code);
  if (li >= 0) addShares(weights, evidence.terms[li]!, lexiconShare);
  const mi = model ? model.source.classes.indexOf(code) : -1;
  if (prediction && mi >= 0) addShares(weights, prediction.contributions(mi, rules.explainTerms * 2), 1 - lexiconShare);
  return [...weights.entries()]
    .filter(([t]) => !rules.unexplaining.has(t))
    .sort((a, b) => b[1] - a[1])
    .slice(0, rules.explainTerms)
    .map(([t]) => t);
}

/** Adds to each term `share` × its part of the pairs' total weight. */
function addShares(weights: Map<string, number>, pairs: ReadonlyArray<readonly [string, number]>, share: number): void {
  let total = 0;
  for (const [, w] of pairs) total += w;
  if (total > 0) for (const [term, w] of pairs) weights.set(term, (weights.get(term) ?? 0) + (share * w) / total);
}
