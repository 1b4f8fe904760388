/**
 * Text-dump cleaning — input: the text of a dump (a page's visible text, as a scraper or a
 * person pastes it); output: blocks in reading order (prose, list items, section markers
 * such as "related", article separators as `section: "break"`), captions kept apart, and a
 * note for every cut. Errors: none (an empty result is dropped by split).
 *
 * Article-level metadata (title, byline, dateline, source lines, syndication) is left to
 * split: a dump may hold several articles and those belong to each one.
 */
import type { Block, Caption, CutNote } from '../../schema/pipeline.js';
import { TEXT_RULES, type TextRules } from '../rules/text-rules.js';
import type { Extracted } from '../types.js';
import { extractInlineCaptions, lineCaption } from './captions.js';
import { keepMainText } from './boilerplate.js';
import { classifyLines, joinWrappedLines, type LineItem } from './lines.js';
import { decodeEntities, normalizeInvisibles, repairMojibake } from './repair.js';
import { resplitParagraph } from './sentences.js';
import { fixSpacing, normalizeQuotes } from './typography.js';

function repairCharacters(text: string, notes: CutNote[]): string {
  const plain = normalizeInvisibles(text);
  const decoded = decodeEntities(plain);
  if (decoded !== plain) notes.push({ stage: 'clean', rule: 'decode-entities' });
  const repaired = repairMojibake(decoded);
  if (repaired !== decoded) notes.push({ stage: 'clean', rule: 'repair-mojibake' });
  return repaired;
}

function polish(text: string, notes: CutNote[]): string {
  const quoted = normalizeQuotes(text);
  if (quoted !== text) notes.push({ stage: 'clean', rule: 'normalize-quotes', text: firstDifference(text, quoted) });
  const spaced = fixSpacing(quoted);
  // Collapsing runs of spaces is not worth a note; a moved punctuation mark is.
  if (spaced !== quoted.replace(/ {2,}/g, ' ').trim()) {
    notes.push({ stage: 'clean', rule: 'fix-spacing', text: firstDifference(quoted, spaced) });
  }
  return spaced;
}

function firstDifference(a: string, b: string): string {
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return a.slice(Math.max(0, i - 20), i + 20);
}

interface Builder {
  blocks: Block[];
  captions: Caption[];
  notes: CutNote[];
}

function addProse(b: Builder, text: string, type: 'paragraph' | 'list-item', rules: TextRules): void {
  const { text: withoutCaptions, captions } = extractInlineCaptions(text, rules, b.notes);
  const at = b.blocks.length;
  b.captions.push(...captions.map((c) => ({ ...c, block: at })));
  const polished = polish(withoutCaptions, b.notes);
  if (!polished) return;
  const pieces = type === 'paragraph' ? resplitParagraph(polished, rules) : [polished];
  if (pieces.length > 1) b.notes.push({ stage: 'clean', rule: 'resplit-long-paragraph', text: `${pieces.length} paragraphs` });
  for (const piece of pieces) b.blocks.push({ type, text: piece });
}

function addItems(b: Builder, items: readonly LineItem[], rules: TextRules): void {
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    if (item.kind === 'blank') continue;
    if (item.kind === 'break') {
      b.blocks.push({ type: 'section', section: 'break', text: item.text });
      continue;
    }
    if (item.kind === 'section') {
      b.blocks.push({ type: 'section', section: item.section, text: item.text });
      continue;
    }
    const next = items[i + 1];
    const caption = item.kind === 'prose' && next?.kind === 'prose' ? lineCaption(item.text, next.text, rules) : null;
    if (caption) {
      b.captions.push({ ...caption, block: Math.max(0, b.blocks.length - 1) });
      b.notes.push({ stage: 'clean', rule: 'caption-line', text: `${caption.text} | ${caption.credit ?? ''}` });
      i += 1;
      continue;
    }
    addProse(b, item.text, item.kind === 'list-item' ? 'list-item' : 'paragraph', rules);
  }
}

export function cleanText(text: string, rules: TextRules = TEXT_RULES): Extracted {
  const b: Builder = { blocks: [], captions: [], notes: [] };
  const repaired = repairCharacters(text, b.notes);
  const lines = joinWrappedLines(classifyLines(repaired.split('\n'), rules, b.notes), rules, b.notes);
  const items = keepMainText(lines, rules, b.notes);
  addItems(b, items, rules);
  return { meta: { authors: [], tags: [] }, blocks: b.blocks, captions: b.captions, notes: b.notes };
}
