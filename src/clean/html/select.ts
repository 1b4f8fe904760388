/**
 * Picks the main-content container: the block whose prose outweighs its chrome by the most.
 * A whole-page wrapper holds all the prose but also every menu and teaser; a single paragraph
 * holds no chrome but little prose; the article body sits where the difference peaks.
 * Structure and naming (article, main, itemprop=articleBody, "article-body") only tip the scale.
 * Input: the analysis of the page. Output: candidates best first (empty when nothing scores).
 */
import type { Element } from 'domhandler';
import type { BlockStats } from './analyze.js';
import { classAndId } from './dom.js';
import { compiledRules as R } from './rules.js';

function looksLikeContent(el: Element): boolean {
  if (el.name === 'article' || el.name === 'main') return true;
  if (el.attribs.itemprop === 'articleBody' || el.attribs.role === 'main') return true;
  const names = classAndId(el);
  return names !== '' && R.contentHints.test(names);
}

export function containerScore(el: Element, s: BlockStats): number {
  const base = s.prose - s.chrome;
  return base > 0 && looksLikeContent(el) ? base * (1 + R.t.contentHintBonus) : base;
}

function insideRemoved(el: Element, removed: Map<Element, string>): boolean {
  for (let node: Element | null = el; node; node = node.parent?.type === 'tag' ? (node.parent as Element) : null) {
    if (removed.has(node)) return true;
  }
  return false;
}

/** Candidates best first (blocks inside a subtree removed after they were weighed cannot win). */
export function rankContainers(stats: Map<Element, BlockStats>, removed: Map<Element, string>, limit: number): Element[] {
  const ranked: { el: Element; score: number }[] = [];
  for (const [el, s] of stats) {
    if (s.prose === 0) continue;
    const score = containerScore(el, s);
    if (score > 0) ranked.push({ el, score });
  }
  ranked.sort((a, b) => b.score - a.score);
  const out: Element[] = [];
  for (const r of ranked) {
    if (out.length >= limit) break;
    if (!insideRemoved(r.el, removed)) out.push(r.el);
  }
  return out;
}
