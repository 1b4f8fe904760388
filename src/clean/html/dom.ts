/** Small helpers over domhandler nodes (what cheerio parses into), shared by the extractor's passes. */
import type { AnyNode, Element, Text } from 'domhandler';
import { compiledRules as R } from './rules.js';

/** Elements that start a new block of text when rendered (everything else flows inline). */
export const BLOCK_TAGS = new Set([
  'address', 'article', 'aside', 'blockquote', 'body', 'center', 'dd', 'details', 'div', 'dl', 'dt',
  'fieldset', 'figcaption', 'figure', 'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header',
  'hgroup', 'hr', 'html', 'li', 'main', 'menu', 'nav', 'ol', 'p', 'pre', 'section', 'summary', 'table',
  'tbody', 'td', 'tfoot', 'th', 'thead', 'tr', 'ul', 'caption',
]);

export function isElement(node: AnyNode): node is Element {
  return node.type === 'tag' || node.type === 'script' || node.type === 'style';
}

/** Class and id together, the words page templates name their regions with. */
export function classAndId(el: Element): string {
  const cls = el.attribs.class?.replace(R.taxonomyClassTokens, ' ');
  const id = el.attribs.id;
  if (cls && id) return `${cls} ${id}`;
  return cls ?? id ?? '';
}

/** Collapses runs of whitespace (including non-breaking spaces) and trims. */
export function normalizeSpace(text: string): string {
  return text.replace(/[\s\u00a0\u200b]+/g, ' ').trim();
}

/**
 * Text of a subtree, whitespace-normalized (for notes, captions, table cells and metadata, not
 * the main walk). A block element or <br> inside it keeps the words on either side apart.
 */
export function textOf(node: AnyNode): string {
  const parts: string[] = [];
  const visit = (n: AnyNode): void => {
    if (n.type === 'text') parts.push(n.data);
    else if (n.type === 'tag' && 'children' in n) {
      const breaks = n.name === 'br' || BLOCK_TAGS.has(n.name);
      if (breaks) parts.push(' ');
      for (const c of n.children) visit(c);
      if (breaks) parts.push(' ');
    } else if (n.type === 'root' && 'children' in n) for (const c of n.children) visit(c);
  };
  visit(node);
  return normalizeSpace(parts.join(''));
}

/**
 * Replaces a subtree's descendants by its text nodes, in order. Used past a nesting depth no real
 * page reaches (but malformed ones with thousands of unclosed tags do), so that the recursive
 * passes cannot overflow the stack; the text survives, the markup below that depth does not.
 * Where a block element or a <br> ended a line, a space keeps the words on either side apart.
 */
export function flattenToText(el: Element): void {
  const texts: Text[] = [];
  let lineEnd = false;
  // `null` marks the end of a block element.
  const stack: (AnyNode | null)[] = [...el.children].reverse();
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node === null) lineEnd = true;
    else if (node.type === 'text') {
      const text = node as Text;
      const prev = texts[texts.length - 1];
      // A line break between two texts, or before the first one (the text before `el` is not in it).
      if (lineEnd && prev && !/\s$/.test(prev.data)) prev.data += ' ';
      else if (lineEnd && !prev) text.data = ` ${text.data}`;
      lineEnd = false;
      texts.push(text);
    } else if (node.type === 'tag' && 'children' in node) {
      if (node.name === 'script' || node.name === 'style') continue;
      if (node.name === 'br' || BLOCK_TAGS.has(node.name)) {
        lineEnd = true;
        stack.push(null);
      }
      for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]!);
    }
  }
  const last = texts[texts.length - 1];
  if (lineEnd && last) last.data += ' '; // and after the last one
  texts.forEach((t, i) => {
    t.parent = el;
    t.prev = texts[i - 1] ?? null;
    t.next = texts[i + 1] ?? null;
  });
  el.children = texts as Element['children'];
}

/**
 * Rows of a data table, or 0 for a layout table (one that holds paragraphs, divs or tables:
 * old pages lay whole articles out in tables, and those are walked like any container).
 */
export function dataTableRows(table: Element): number {
  let rows = 0;
  let layout = false;
  const visit = (n: Element): void => {
    for (const c of n.children) {
      if (layout || !isElement(c)) continue;
      if (c.name === 'table' || c.name === 'p' || c.name === 'div' || c.name === 'h2') layout = true;
      else {
        if (c.name === 'tr') rows++;
        visit(c);
      }
    }
  };
  visit(table);
  return layout ? 0 : rows;
}
