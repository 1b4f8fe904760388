/**
 * Second-level topics: for each top-level topic already chosen, the child (from
 * data/iptc-subtopics.json) with the most lexicon evidence, when that evidence is dense
 * enough for the text's length, has enough distinct terms and clearly beats its siblings.
 * Input: the top-level topics, feature counts, word count, compiled subtopics, thresholds.
 * Output: the topics with each confident subtopic placed right after its parent (level 2,
 * score = parent score × the subtopic's share of its siblings' evidence). Errors: none.
 */
import type { Topic } from '../schema/pipeline.js';
import type { Subtopics, Thresholds } from './rules.js';

export interface CompiledSubtopics {
  codes: readonly string[];
  labels: readonly string[];
  /** parent code → its children's indexes and, flat, every (term, child slot, weight) of theirs. */
  byParent: ReadonlyMap<string, { children: readonly number[]; terms: readonly string[]; slots: Uint8Array; weights: Float64Array }>;
  /** Every subtopic term (features classify must count). */
  terms: ReadonlySet<string>;
}

export function compileSubtopics(data: Subtopics): CompiledSubtopics {
  const groups = new Map<string, { children: number[]; terms: string[]; slots: number[]; weights: number[] }>();
  data.subtopics.forEach((s, index) => {
    let g = groups.get(s.parent);
    if (!g) groups.set(s.parent, (g = { children: [], terms: [], slots: [], weights: [] }));
    const slot = g.children.push(index) - 1;
    for (const [term, weight] of Object.entries(s.terms)) {
      g.terms.push(term);
      g.slots.push(slot);
      g.weights.push(weight);
    }
  });
  const byParent = new Map([...groups].map(([parent, g]) => [parent, { children: g.children, terms: g.terms, slots: Uint8Array.from(g.slots), weights: Float64Array.from(g.weights) }]));
  return {
    codes: data.subtopics.map((s) => s.code),
    labels: data.subtopics.map((s) => s.label),
    byParent,
    terms: new Set(data.subtopics.flatMap((s) => Object.keys(s.terms))),
  };
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

export function addSubtopics(
  topics: readonly Topic[],
  subtopics: CompiledSubtopics,
  counts: ReadonlyMap<string, number>,
  wordCount: number,
  rules: Thresholds['subtopics'] & { explainTerms: number },
): Topic[] {
  const words = Math.max(wordCount, rules.minWordsForDensity);
  const out: Topic[] = [];
  for (const topic of topics) {
    out.push(topic);
    const group = topic.level === 1 ? subtopics.byParent.get(topic.code) : undefined;
    if (!group) continue;
    // Evidence per child: weight × (1 + ln count) over the child's terms found in the text.
    const raw = new Float64Array(group.children.length);
    const distinct = new Uint16Array(group.children.length);
    for (let j = 0; j < group.terms.length; j++) {
      const count = counts.get(group.terms[j]!);
      if (count === undefined) continue;
      raw[group.slots[j]!]! += group.weights[j]! * (1 + Math.log(count));
      distinct[group.slots[j]!]! += 1;
    }
    let best = 0;
    let total = rules.evidencePrior;
    for (let c = 0; c < raw.length; c++) {
      total += raw[c]!;
      if (raw[c]! > raw[best]!) best = c;
    }
    let second = 0;
    for (let c = 0; c < raw.length; c++) if (c !== best) second = Math.max(second, raw[c]!);
    const share = raw[best]! / total;
    if (
      distinct[best]! < rules.minDistinctTerms ||
      (raw[best]! * 100) / words < rules.minEvidencePer100Words ||
      share < rules.minShare ||
      share - second / total < rules.minMargin
    ) {
      continue;
    }
    const explained: Array<[string, number]> = [];
    for (let j = 0; j < group.terms.length; j++) {
      const count = group.slots[j] === best ? counts.get(group.terms[j]!) : undefined;
      if (count !== undefined) explained.push([group.terms[j]!, group.weights[j]! * (1 + Math.log(count))]);
    }
    const terms = explained
      .sort((a, b) => b[1] - a[1])
      .slice(0, rules.explainTerms)
      .map(([t]) => t);
    const index = group.children[best]!;
    out.push({ code: subtopics.codes[index]!, label: subtopics.labels[index]!, score: round3(Math.min(1, topic.score * share)), terms, level: 2 });
  }
  return out;
}
