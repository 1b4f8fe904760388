/**
 * Where the articles of one cleaned record begin and end. Separator lines ("-----")
 * split a dump into independent articles; a "related" section heading starts the list
 * of related articles, each opened by its time line ("37 minutes ago"), optionally with
 * a source line above it; a title line followed by a byline starts a new article too.
 * Input: the record's blocks. Output: segments of block indices. Errors: none.
 */
import type { Block, CutNote } from '../schema/pipeline.js';
import { bylineAuthors, isSourceLike, isTitleLike, timeOfLine } from './header.js';
import type { SplitRules } from './rules.js';

export interface Segment {
  kind: 'main' | 'related';
  /** Indices into the record's blocks. */
  blocks: number[];
  /** For related articles: the index (in the returned list) of the article they hang off. */
  parent?: number;
}

export interface Segmentation {
  segments: Segment[];
  notes: CutNote[];
}

function splitAtBreaks(blocks: readonly Block[]): number[][] {
  const groups: number[][] = [[]];
  blocks.forEach((b, i) => {
    if (b.type === 'section' && b.section === 'break') groups.push([]);
    else groups[groups.length - 1]!.push(i);
  });
  return groups.filter((g) => g.length);
}

/** A paragraph of running text, as opposed to a title, source or time line. */
const isProse = (text: string, rules: SplitRules) => !isTitleLike(text, rules) && text.split(/\s+/).length >= rules.header.minTitleWords * 5;

/** Main articles inside one group: once one has a body, a title line followed by a byline starts the next. */
function splitMains(ids: number[], blocks: readonly Block[], capturedAt: string, rules: SplitRules): number[][] {
  const out: number[][] = [[]];
  let hasBody = false;
  ids.forEach((id, k) => {
    const text = blocks[id]!.text;
    const next = ids[k + 1];
    const startsArticle =
      hasBody &&
      next !== undefined &&
      isTitleLike(text, rules) &&
      !timeOfLine(text, capturedAt, rules) &&
      bylineAuthors(blocks[next]!.text, rules) !== null;
    if (startsArticle) {
      out.push([]);
      hasBody = false;
    }
    out[out.length - 1]!.push(id);
    hasBody ||= isProse(text, rules);
  });
  return out.filter((s) => s.length);
}

/** Related items: each starts at a time line (with the source line above it, if any). */
function splitRelated(ids: number[], blocks: readonly Block[], capturedAt: string, rules: SplitRules): number[][] {
  const text = (k: number) => blocks[ids[k]!]!.text;
  const starts: number[] = [];
  let lastTime = -2;
  ids.forEach((_, k) => {
    if (!timeOfLine(text(k), capturedAt, rules)) return;
    const withSource = k - 1 > lastTime + 1 && k > 0 && isSourceLike(text(k - 1), rules) && !starts.includes(k - 1);
    const start = withSource ? k - 1 : k;
    if (k !== lastTime + 1) starts.push(start); // "2 hours ago" right after a time line belongs to the same item
    lastTime = k;
  });
  if (!starts.length) {
    // No time lines: each title line followed by prose opens an item.
    ids.forEach((_, k) => {
      const next = ids[k + 1];
      if (next !== undefined && isTitleLike(text(k), rules) && !isTitleLike(blocks[next]!.text, rules)) starts.push(k);
    });
  }
  if (!starts.length) return [ids];
  const items: number[][] = [];
  if (starts[0]! > 0) items.push(ids.slice(0, starts[0]));
  starts.forEach((s, n) => items.push(ids.slice(s, starts[n + 1] ?? ids.length)));
  return items;
}

export function segmentBlocks(blocks: readonly Block[], capturedAt: string, rules: SplitRules): Segmentation {
  const segments: Segment[] = [];
  const notes: CutNote[] = [];
  for (const group of splitAtBreaks(blocks)) {
    const mainIds: number[] = [];
    let relatedIds: number[] | null = null;
    let stopped = false;
    for (const id of group) {
      const b = blocks[id]!;
      if (b.type === 'section') {
        notes.push({ stage: 'split', rule: `section-heading:${b.section ?? 'unknown'}`, text: b.text });
        stopped = rules.stopSections.includes(b.section ?? '');
        if (b.section === 'related') relatedIds ??= [];
        continue;
      }
      if (stopped) {
        notes.push({ stage: 'split', rule: 'stop-section', text: b.text.slice(0, 200) });
        continue;
      }
      (relatedIds ?? mainIds).push(id);
    }
    let parent: number | undefined;
    for (const ids of splitMains(mainIds, blocks, capturedAt, rules)) {
      parent = segments.length;
      segments.push({ kind: 'main', blocks: ids });
    }
    if (relatedIds?.length) {
      for (const ids of splitRelated(relatedIds, blocks, capturedAt, rules)) {
        segments.push({ kind: 'related', blocks: ids, ...(parent !== undefined ? { parent } : {}) });
      }
    }
  }
  return { segments, notes };
}
