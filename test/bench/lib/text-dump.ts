/**
 * Turns an HTML page into a text dump the way a scraper flattens it: visible text only
 * (script/style/noscript/template dropped), one line per block-level element, inline
 * content joined with spaces. Used to score the text-dump cleaner on the same pages.
 */
import { load } from 'cheerio/slim';
import type { AnyNode } from 'domhandler';

const INVISIBLE = new Set(['script', 'style', 'noscript', 'template', 'head', 'svg', 'iframe', 'object']);
const BLOCK = new Set([
  'address', 'article', 'aside', 'blockquote', 'dd', 'details', 'dialog', 'div', 'dl', 'dt', 'fieldset',
  'figcaption', 'figure', 'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hgroup', 'hr',
  'li', 'main', 'nav', 'ol', 'p', 'pre', 'section', 'table', 'tr', 'td', 'th', 'ul', 'br', 'body', 'html',
  'caption', 'summary', 'option', 'button', 'label',
]);

export function htmlToTextDump(html: string): string {
  const $ = load(html);
  const lines: string[] = [];
  let current = '';
  const flush = (): void => {
    const line = current.replace(/\s+/g, ' ').trim();
    if (line) lines.push(line);
    current = '';
  };
  const walk = (node: AnyNode): void => {
    if (node.type === 'text') {
      current += node.data;
      return;
    }
    if (node.type !== 'tag' && node.type !== 'root' && node.type !== 'script' && node.type !== 'style') return;
    if ('name' in node && (INVISIBLE.has(node.name) || node.type === 'script' || node.type === 'style')) return;
    const block = 'name' in node && BLOCK.has(node.name);
    if (block) flush();
    if ('children' in node) for (const child of node.children) walk(child);
    if (block) flush();
  };
  walk($.root()[0]!);
  flush();
  return lines.join('\n');
}
