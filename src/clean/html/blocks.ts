/**
 * Linearizes the main-content container into Blocks in reading order: paragraphs, headings,
 * list items, quotes and tables; figures and captions go to captions[]; chrome left inside the
 * container (link lists, "Advertisement", bylines, the repeated title) is cut with a note.
 * Input: the container, the rule that says why an element is cut (if it is), the page title.
 * Output: blocks, captions, notes (stage 'clean').
 */
import type { AnyNode, Element } from 'domhandler';
import type { Block, Caption, CutNote } from '../../schema/pipeline.js';
import { captionFrom, isCaptionish } from './captions.js';
import { BLOCK_TAGS, dataTableRows, isElement, normalizeSpace, textOf } from './dom.js';
import { compiledRules as R } from './rules.js';

export interface Linearized {
  blocks: Block[];
  captions: Caption[];
  notes: CutNote[];
  bylines: string[];
}

interface Context {
  type: Block['type'];
  level?: number;
}

const NOTE_TEXT_MAX = 120;

function contextFor(name: string, parent: Context): Context {
  if (/^h[1-6]$/.test(name)) return { type: 'heading', level: Number(name[1]) };
  if (name === 'li' || name === 'dd' || name === 'dt') return { type: 'list-item' };
  if (name === 'blockquote') return { type: 'quote' };
  return parent;
}

function sameText(a: string, b: string): boolean {
  const norm = (s: string): string => s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
  const x = norm(a);
  const y = norm(b);
  return x.length > 0 && (x === y || (y.length > 20 && x.includes(y)) || (x.length > 20 && y.includes(x)));
}

/** A data table becomes one block: a line per row, cells split by " | ". */
function tableText(table: Element, cutRule: CutRule): string {
  const rows: string[] = [];
  const visit = (n: AnyNode): void => {
    if (!isElement(n) || cutRule(n) !== undefined) return;
    if (n.name === 'tr') {
      const cells = n.children.filter((c): c is Element => isElement(c) && (c.name === 'td' || c.name === 'th'));
      const row = cells.map((c) => textOf(c)).filter(Boolean).join(' | ');
      if (row) rows.push(row);
      return;
    }
    for (const c of n.children) visit(c);
  };
  visit(table);
  return rows.join('\n');
}

/** Why an element inside the container is cut (undefined: keep it). */
export type CutRule = (el: Element) => string | undefined;

export function linearize(container: Element, cutRule: CutRule, title: string | undefined): Linearized {
  const out: Linearized = { blocks: [], captions: [], notes: [], bylines: [] };
  const cut = (rule: string, text: string): void => {
    if (text) out.notes.push({ stage: 'clean', rule, text: text.slice(0, NOTE_TEXT_MAX) });
  };
  let buf = '';
  let linkChars = 0;
  let ctx: Context = { type: 'paragraph' };
  let relatedHeadingSeen = false;

  const flush = (): void => {
    const text = normalizeSpace(buf);
    const links = linkChars;
    buf = '';
    linkChars = 0;
    if (!text) return;
    if (ctx.type === 'heading' && title && sameText(text, title)) return cut('title-repeated', text);
    if (text.length <= R.t.chromeLineMaxChars && R.relatedHeading.test(text)) {
      relatedHeadingSeen = true;
      return cut('related-heading', text);
    }
    if (text.length <= R.t.chromeLineMaxChars && R.chromeLine.test(text)) return cut('chrome-line', text);
    if (R.bylineLine.test(text)) {
      out.bylines.push(text);
      return cut('byline', text);
    }
    const maxLinkDensity = ctx.type === 'heading' ? R.t.headingMaxLinkDensity : R.t.blockMaxLinkDensity;
    if (links / text.length > maxLinkDensity && !isSentence(text)) return cut('link-dense', text);
    const block: Block = { type: ctx.type, text };
    if (ctx.level !== undefined) block.level = ctx.level;
    out.blocks.push(block);
  };


  const visit = (children: AnyNode[], inLink: boolean): void => {
    // After a "More stories" / "Related" heading, the lists that follow it are what it announces;
    // the first sibling that is not a list or a bunch of links is the article again.
    let afterRelatedHeading = false;
    for (const child of children) {
      if (relatedHeadingSeen) {
        relatedHeadingSeen = false;
        afterRelatedHeading = true;
      }
      if (afterRelatedHeading && isElement(child)) {
        if (isLinkList(child)) {
          cut('after-related-heading', textOf(child));
          continue;
        }
        afterRelatedHeading = false;
      }
      if (child.type === 'text') {
        buf += child.data;
        if (inLink) linkChars += normalizeSpace(child.data).length;
        continue;
      }
      if (!isElement(child)) continue;
      const rule = cutRule(child);
      if (rule !== undefined) {
        if (!rule.startsWith('tag:')) cut(rule, textOf(child));
        // A cut block (a share bar, an ad slot between two runs of text) still ended a line:
        // the words on either side must not run together.
        if (BLOCK_TAGS.has(child.name)) buf += ' ';
        continue;
      }
      const name = child.name;
      if (isCaptionish(child)) {
        flush();
        const caption = captionFrom(child);
        if (caption) out.captions.push(caption);
        continue;
      }
      if (name === 'br') {
        // Two breaks in a row separate paragraphs; one is a soft line break inside one.
        if (child.next && isElement(child.next) && child.next.name === 'br') flush();
        else buf += ' ';
        continue;
      }
      if (name === 'table' && dataTableRows(child) > 0) {
        flush();
        const text = tableText(child, cutRule);
        if (text) out.blocks.push({ type: 'table', text });
        continue;
      }
      if (BLOCK_TAGS.has(name)) {
        flush();
        const saved = ctx;
        ctx = contextFor(name, ctx);
        visit(child.children, inLink);
        flush();
        ctx = saved;
      } else {
        visit(child.children, inLink || name === 'a');
      }
    }
  };
  visit(container.children, false);
  flush();
  return out;
}

function isLinkList(el: Element): boolean {
  if (el.name === 'ul' || el.name === 'ol') return true;
  let text = 0;
  let link = 0;
  const visit = (n: AnyNode, inLink: boolean): void => {
    if (n.type === 'text') {
      const len = normalizeSpace(n.data).length;
      text += len;
      if (inLink) link += len;
    } else if (isElement(n)) for (const c of n.children) visit(c, inLink || n.name === 'a');
  };
  visit(el, false);
  return text > 0 && link / text > R.t.blockMaxLinkDensity;
}

/** A full sentence stays text even when it is all one link; link lists are headlines and names. */
function isSentence(text: string): boolean {
  return /[.!?]["'”’)]?$/.test(text) && text.split(' ').length >= R.t.linkedSentenceMinWords;
}
