/**
 * One walk over the parsed page that collects every element the metadata reader and the
 * extractor look up by name (meta tags, JSON-LD scripts, title, first h1, canonical link,
 * first <time datetime>, itemprop=articleBody), instead of one selector query per field.
 * Past MAX_DEPTH it flattens the markup, so the later recursive passes stay within the stack.
 * Input: the document root. Output: the landmarks.
 */
import type { AnyNode, Element } from 'domhandler';
import { flattenToText, isElement } from './dom.js';

/** Deeper than any real layout; past it the markup is flattened to text (see flattenToText). */
const MAX_DEPTH = 400;

export interface Landmarks {
  html?: Element;
  title?: Element;
  firstH1?: Element;
  canonical?: Element;
  firstTime?: Element;
  metas: Element[];
  jsonLd: Element[];
  articleBodies: Element[];
  /** Elements marked as the author (rel=author, itemprop=author). */
  authors: Element[];
}

export function collectLandmarks(root: AnyNode & { children: AnyNode[] }): Landmarks {
  const found: Landmarks = { metas: [], jsonLd: [], articleBodies: [], authors: [] };
  const visit = (children: AnyNode[], depth: number): void => {
    for (const el of children) {
      if (!isElement(el)) continue;
      if (depth >= MAX_DEPTH) {
        flattenToText(el);
        continue;
      }
      switch (el.name) {
        case 'html':
          found.html ??= el;
          break;
        case 'title':
          found.title ??= el;
          break;
        case 'h1':
          found.firstH1 ??= el;
          break;
        case 'meta':
          found.metas.push(el);
          break;
        case 'link':
          if (!found.canonical && el.attribs.rel?.toLowerCase() === 'canonical') found.canonical = el;
          break;
        case 'time':
          if (!found.firstTime && el.attribs.datetime) found.firstTime = el;
          break;
        case 'script':
          if (el.attribs.type?.toLowerCase() === 'application/ld+json') found.jsonLd.push(el);
          continue;
        case 'style':
          continue;
      }
      if (el.attribs.itemprop === 'articleBody') found.articleBodies.push(el);
      if (el.attribs.rel === 'author' || el.attribs.itemprop === 'author') found.authors.push(el);
      visit(el.children, depth + 1);
    }
  };
  visit(root.children, 0);
  return found;
}
