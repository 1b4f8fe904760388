/**
 * Figure captions and photo credits, kept apart from the body. A credit is the part of a caption
 * marked as such (class "credit"/"copyright"/"source") or a trailing "Photo: …" / "(Getty Images)".
 * Input: a figure, figcaption or caption-like element. Output: a Caption, or undefined if empty.
 */
import type { AnyNode, Element } from 'domhandler';
import type { Caption } from '../../schema/pipeline.js';
import { classAndId, isElement, normalizeSpace, textOf } from './dom.js';
import { compiledRules as R } from './rules.js';

export function isCaptionish(el: Element): boolean {
  if (el.name === 'figure' || el.name === 'figcaption') return true;
  const names = classAndId(el);
  return names !== '' && R.captionHints.test(names);
}

function findFirst(root: Element, test: (el: Element) => boolean): Element | undefined {
  let found: Element | undefined;
  const visit = (n: AnyNode): void => {
    if (found || !isElement(n)) return;
    if (test(n)) {
      found = n;
      return;
    }
    for (const c of n.children) visit(c);
  };
  for (const c of root.children) visit(c);
  return found;
}

function isCreditEl(el: Element): boolean {
  const names = classAndId(el);
  return names !== '' && R.creditHints.test(names);
}

export function captionFrom(el: Element): Caption | undefined {
  const captionEl = el.name === 'figure' ? findFirst(el, (n) => n.name === 'figcaption' || isCaptionish(n)) : el;
  if (!captionEl) return undefined;
  const text = textOf(captionEl);
  if (!text) return undefined;
  const creditEl = isCreditEl(captionEl) ? undefined : findFirst(captionEl, isCreditEl);
  const credit = creditEl ? textOf(creditEl) : R.trailingCredit.exec(text)?.[1];
  if (!credit) return { text };
  const rest = normalizeSpace(text.replace(credit, '')).replace(/[\s|/(]+$/, '');
  return rest ? { text: rest, credit: credit.replace(/^\(|\)$/g, '') } : { text, credit };
}
