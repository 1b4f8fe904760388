/**
 * Element nesting depth of an HTML document, measured with one linear scan and no DOM, so a
 * page nested 100,000 deep is refused before any recursive parser or tree walk sees it.
 * Input: HTML text. Output: the deepest nesting (approximate: auto-closing and void
 * elements do not nest). A closing tag closes what a parser would close: the nearest open
 * element of its name and everything opened inside it; one naming no open element is ignored,
 * as parsers ignore it (else `<div></b>` repeated would hide any depth). Errors: none.
 */
import { INTAKE_RULES } from './rules.js';

const NON_NESTING = new Set([...INTAKE_RULES.voidTags, ...INTAKE_RULES.autoClosingTags].map((t) => t.toLowerCase()));
const RAW_TEXT = new Set(INTAKE_RULES.rawTextTags.map((t) => t.toLowerCase()));
// `[^<>]` keeps every match attempt short (linear overall); a `>` inside a quoted attribute is rare enough for an estimate.
const TAG = /<!--[\s\S]*?(?:-->|$)|<(\/?)([a-zA-Z][\w:-]*)\b[^<>]*?(\/?)>/g;

function countAngles(html: string, upTo: number): number {
  let count = 0;
  for (let at = html.indexOf('<'); at >= 0 && count < upTo; at = html.indexOf('<', at + 1)) count++;
  return count;
}

/**
 * Deepest nesting found; stops once `stopAt` is reached (the caller only needs "too deep"),
 * and returns 0 without scanning when the page has too few tags to get there.
 */
export function htmlDepth(html: string, stopAt = Number.POSITIVE_INFINITY): number {
  // Each open tag needs a '<': a page with fewer of them than `stopAt` cannot be that deep.
  if (stopAt !== Number.POSITIVE_INFINITY && countAngles(html, stopAt) < stopAt) return 0;
  const open: string[] = [];
  // How many of each name are open: a closing tag naming none is known at once, so the scan
  // stays linear (each open element is popped at most once).
  const openCount = new Map<string, number>();
  let deepest = 0;
  let lower: string | undefined;
  TAG.lastIndex = 0;
  for (let m = TAG.exec(html); m; m = TAG.exec(html)) {
    const name = m[2]?.toLowerCase();
    if (!name || NON_NESTING.has(name)) continue;
    if (m[1]) {
      if (!openCount.get(name)) continue;
      for (let top = open.pop(); top !== undefined; top = open.pop()) {
        openCount.set(top, openCount.get(top)! - 1);
        if (top === name) break;
      }
      continue;
    }
    if (RAW_TEXT.has(name)) {
      // Script and style bodies are not markup; jump past the closing tag.
      lower ??= html.toLowerCase();
      const close = lower.indexOf(`</${name}`, TAG.lastIndex);
      if (close < 0) break;
      TAG.lastIndex = close + name.length + 2;
      continue;
    }
    if (m[3]) continue;
    open.push(name);
    openCount.set(name, (openCount.get(name) ?? 0) + 1);
    if (open.length > deepest) {
      deepest = open.length;
      if (deepest >= stopAt) break;
    }
  }
  return deepest;
}
