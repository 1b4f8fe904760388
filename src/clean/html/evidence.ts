/**
 * JSON-LD `articleBody` as evidence, not as the answer: publishers truncate it, strip its
 * paragraphs or fill it with a teaser. When it is long enough to trust, the candidate whose
 * visible text agrees with it best (shingle overlap, both ways) may replace the scored pick,
 * but only when it agrees clearly better; otherwise the scoring stands.
 * Input: ranked candidates (best first), the cut rule, articleBody. Output: the container.
 */
import type { AnyNode, Element } from 'domhandler';
import type { CutRule } from './blocks.js';
import { isElement } from './dom.js';
import { compiledRules as R } from './rules.js';

const WORD = /[\p{L}\p{N}_]+/gu;
const SHINGLE = 3;

function shingles(text: string): Set<string> {
  const words = text.match(WORD) ?? [];
  const out = new Set<string>();
  for (let i = 0; i + SHINGLE <= words.length; i++) out.add(words.slice(i, i + SHINGLE).join(' '));
  return out;
}

function keptText(el: Element, cutRule: CutRule): string {
  const parts: string[] = [];
  const visit = (n: AnyNode): void => {
    if (n.type === 'text') parts.push(n.data);
    else if (isElement(n) && cutRule(n) === undefined) {
      parts.push(' ');
      for (const c of n.children) visit(c);
    }
  };
  for (const c of el.children) visit(c);
  return parts.join('');
}

function agreement(candidate: Set<string>, body: Set<string>): number {
  if (candidate.size === 0) return 0;
  let shared = 0;
  for (const s of candidate) if (body.has(s)) shared++;
  const precision = shared / candidate.size;
  const recall = shared / body.size;
  return precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
}

/** The chosen container and its closest ancestors, plus the runners-up of the scoring. */
function alternatives(ranked: Element[]): Element[] {
  const out = new Set<Element>(ranked);
  let el: Element | null = ranked[0] ?? null;
  for (let i = 0; i < R.t.evidenceAncestors && el; i++) {
    el = el.parent?.type === 'tag' ? (el.parent as Element) : null;
    if (el) out.add(el);
  }
  return [...out];
}

export function preferEvidence(ranked: Element[], cutRule: CutRule, articleBody: string | undefined): Element | undefined {
  const pick = ranked[0];
  if (!pick || !articleBody) return pick;
  const body = shingles(articleBody);
  if (body.size < R.t.evidenceMinShingles) return pick;
  let best = pick;
  let bestAgreement = agreement(shingles(keptText(pick, cutRule)), body);
  const bar = bestAgreement + R.t.evidenceMinGain;
  for (const el of alternatives(ranked)) {
    if (el === pick) continue;
    const a = agreement(shingles(keptText(el, cutRule)), body);
    if (a > bar && a > bestAgreement) {
      best = el;
      bestAgreement = a;
    }
  }
  return best;
}
