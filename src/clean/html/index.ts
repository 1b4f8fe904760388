/**
 * HTML main-content extraction.
 * Input: an HTML page (string). Output: Extracted — metadata, the article's blocks in reading
 * order, captions kept apart, and a note for every cut (stage 'clean').
 * Errors: none; a page without recognizable content yields no blocks (split drops it).
 *
 * Steps: parse once (htmlparser2 via cheerio/slim) → one walk for landmarks → metadata (meta
 * tags, JSON-LD) → one bottom-up pass that removes chrome and weighs prose against chrome per
 * block → the block where prose outweighs chrome most is the article (JSON-LD articleBody may
 * overrule it when it clearly agrees better with another candidate) → linearize it into blocks.
 * Only the chosen article and its enclosing <article> are walked again, never the whole page.
 */
import { load } from 'cheerio/slim';
import type { Element } from 'domhandler';
import type { CutNote } from '../../schema/pipeline.js';
import type { Extracted } from '../types.js';
import { analyze, weakChromeRule } from './analyze.js';
import { linearize } from './blocks.js';
import { collectLandmarks } from './landmarks.js';
import { extractMeta } from './meta.js';
import { rankContainers } from './select.js';
import { preferEvidence } from './evidence.js';
import { compiledRules as R } from './rules.js';
import { surroundings } from './surroundings.js';

/** Ancestors of the marked article body survive chrome removal whatever their class names. */
function guardedAncestors(bodies: Element[]): Set<Element> {
  const guarded = new Set<Element>();
  for (const body of bodies) {
    let el: Element | null = body;
    while (el && !guarded.has(el)) {
      guarded.add(el);
      el = el.parent && el.parent.type === 'tag' ? (el.parent as Element) : null;
    }
  }
  return guarded;
}

export function extractHtml(html: string): Extracted {
  const root = load(html).root()[0]!;
  const landmarks = collectLandmarks(root);
  const { meta, articleBody } = extractMeta(landmarks);
  const analysis = analyze(root, guardedAncestors(landmarks.articleBodies));
  const { removed, stats } = analysis;
  const ranked = rankContainers(stats, removed, R.t.evidenceCandidates);
  if (ranked.length === 0) return { meta, blocks: [], captions: [], notes: [{ stage: 'clean', rule: 'no-main-content' }] };
  // Weak chrome is judged against the container's prose; until the container is final, the
  // scored pick stands in for it.
  let containerStats = stats.get(ranked[0]!)!;
  const cutRule = (el: Element): string | undefined => removed.get(el) ?? weakChromeRule(el, analysis, containerStats);
  const container = preferEvidence(ranked, cutRule, articleBody)!;
  const notes: CutNote[] = [];
  if (container !== ranked[0]) notes.push({ stage: 'clean', rule: 'json-ld-articleBody-evidence' });
  containerStats = stats.get(container) ?? containerStats;
  const lin = linearize(container, cutRule, meta.title);
  if (meta.authors.length === 0 && lin.bylines.length > 0) {
    meta.authors = lin.bylines.map((b) => b.replace(R.bylinePrefix, '').trim());
  }
  const around = surroundings(container, cutRule);
  return { meta, blocks: lin.blocks, captions: [...around.captions, ...lin.captions], notes: [...notes, ...around.notes, ...lin.notes] };
}
