/**
 * The article around the chosen container: its figure captions and the chrome cut from it
 * (share bar above the body, related links below it) live in the enclosing <article>/<main>,
 * not always in the container itself. Walks only that enclosing element, not the page.
 * Input: the container, the cut rule. Output: captions and notes found outside the container.
 */
import type { AnyNode, Element } from 'domhandler';
import type { Caption, CutNote } from '../../schema/pipeline.js';
import type { CutRule } from './blocks.js';
import { captionFrom, isCaptionish } from './captions.js';
import { isElement, textOf } from './dom.js';

const NOTE_TEXT_MAX = 120;
const SCOPE_TAGS = new Set(['article', 'main']);

function enclosingArticle(container: Element): Element | undefined {
  for (let el: Element | null = container; el; el = el.parent?.type === 'tag' ? (el.parent as Element) : null) {
    if (SCOPE_TAGS.has(el.name)) return el;
  }
  return undefined;
}

export function surroundings(container: Element, cutRule: CutRule): { captions: Caption[]; notes: CutNote[] } {
  const captions: Caption[] = [];
  const notes: CutNote[] = [];
  const scope = enclosingArticle(container);
  if (!scope || scope === container) return { captions, notes };
  const visit = (node: AnyNode): void => {
    if (!isElement(node) || node === container) return;
    const rule = cutRule(node);
    if (rule !== undefined) {
      const text = rule.startsWith('tag:') ? '' : textOf(node);
      if (text) notes.push({ stage: 'clean', rule, text: text.slice(0, NOTE_TEXT_MAX) });
      return;
    }
    if (isCaptionish(node)) {
      const caption = captionFrom(node);
      if (caption) captions.push(caption);
      return;
    }
    for (const child of node.children) visit(child);
  };
  visit(scope);
  return { captions, notes };
}
