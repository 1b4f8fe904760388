/**
 * One bottom-up pass over the page: marks chrome subtrees (by tag, role, class/id words, hidden
 * markers) as removed, and gives every remaining block element its prose and chrome weight, so
 * the main content can be picked without another full-document pass.
 * Input: the parsed document root and the elements that must survive (ancestors of an
 * `itemprop=articleBody`). Output: removed elements with the rule that cut them, stats per block.
 */
import type { AnyNode, Element } from 'domhandler';
import { compiledRules as R } from './rules.js';
import { BLOCK_TAGS, classAndId, dataTableRows, isElement, textOf } from './dom.js';

export interface BlockStats {
  /** Visible characters (after chrome removal). */
  text: number;
  /** Characters inside links. */
  link: number;
  /** Characters of prose runs (long, few links). */
  prose: number;
  /** Weighted characters of everything else: link lists, short lines. */
  chrome: number;
  /** Prose inside weakly named blocks, counted as chrome above (it may still be the article). */
  weakProse: number;
}

export interface Analysis {
  removed: Map<Element, string>;
  /** Blocks with a weak chrome name, kept or cut once the container is known. */
  weak: Map<Element, string>;
  stats: Map<Element, BlockStats>;
}

type Verdict = { kind: 'keep' } | { kind: 'drop' | 'strong' | 'weak'; rule: string };
const KEEP: Verdict = { kind: 'keep' };

function isHidden(el: Element): boolean {
  const a = el.attribs;
  if ('hidden' in a) return true;
  const style = a.style;
  return style !== undefined && /display\s*:\s*none|visibility\s*:\s*hidden/i.test(style);
}

function judge(el: Element, guarded: Set<Element>): Verdict {
  const name = el.name;
  if (R.dropTags.has(name) || el.type !== 'tag') return { kind: 'drop', rule: `tag:${name}` };
  if (guarded.has(el) || name === 'body' || name === 'html') return KEEP;
  if (isHidden(el)) return { kind: 'strong', rule: 'hidden' };
  // Saved pages often carry aria-hidden on the whole page behind an open dialog: only a hint.
  if (el.attribs['aria-hidden'] === 'true') return { kind: 'weak', rule: 'aria-hidden' };
  if (name === 'nav' || name === 'menu') return { kind: 'strong', rule: `tag:${name}` };
  const role = el.attribs.role;
  if (role && R.chromeRoles.has(role)) return { kind: 'weak', rule: `role:${role}` };
  const names = classAndId(el);
  if (names) {
    if (R.hiddenHints.test(names)) return { kind: 'strong', rule: 'hidden' };
    if (R.embeddedPosts.test(names)) return KEEP;
    const strong = R.strongChrome.exec(names);
    if (strong) return { kind: 'strong', rule: `class:${strong[0].trim()}` };
    const weak = R.weakChrome.exec(names);
    if (weak) return { kind: 'weak', rule: `class:${weak[0].trim()}` };
  }
  if (R.chromeTags.has(name)) return { kind: 'weak', rule: `tag:${name}` };
  return KEEP;
}

/**
 * Teaser cards (headline link + blurb), repeated with the same markup, carry prose-like blurbs
 * that would make a list of other stories outweigh the article. A card is a classed block (or an
 * <article>, or a list item) with links and little prose; three or more alike among siblings are chrome.
 */
function couldBeCard(el: Element, s: BlockStats): boolean {
  return s.link >= s.text * R.t.cardMinLinkDensity && s.prose > 0 && s.prose < R.t.cardMaxProse && (el.name === 'article' || el.name === 'li' || !!el.attribs.class);
}

function cardSignature(el: Element): string {
  return `${el.name}.${(el.attribs.class ?? '').replace(/\d+/g, '')}`;
}

function discountRepeatedCards(cards: { signature: string; prose: number }[], st: BlockStats): void {
  if (cards.length < R.t.cardMinRepeats) return;
  const bySignature = new Map<string, number[]>();
  for (const c of cards) bySignature.set(c.signature, [...(bySignature.get(c.signature) ?? []), c.prose]);
  for (const proses of bySignature.values()) {
    if (proses.length < R.t.cardMinRepeats) continue;
    const prose = proses.reduce((a, b) => a + b, 0);
    st.prose -= prose;
    st.chrome += prose * R.t.chromePenalty;
  }
}

/**
 * A data table (standings, prices, results) is content even though every cell is a short
 * line: its unlinked text counts as prose at a discount, its links stay chrome.
 */
function weighDataTable(table: Element, s: BlockStats): boolean {
  if (s.text === 0 || s.link / s.text > R.t.proseMaxLinkDensity) return false;
  if (dataTableRows(table) < R.t.dataTableMinRows) return false;
  s.prose += (s.text - s.link) * R.t.dataTableProseWeight;
  s.chrome = s.link * R.t.chromePenalty;
  return true;
}

/**
 * Class names lie both ways: "paywall" or "modal-enabled" can sit on the article body itself,
 * "module" or "header" on a wrapper of the whole page. A chrome-named block survives when it
 * holds enough prose: any amount of it for weak names, and for strong names only when the
 * block also names itself as content ("ArticlePage-content paywall"). Weak names are judged
 * once the container is known (see weakChromeRule).
 */
function outweighsChrome(el: Element, s: BlockStats): boolean {
  if (s.prose + s.weakProse < R.t.strongChromeKeepChars) return false;
  // "comment_content" names a comment, not content: the content word must stand in a token of its own.
  return classAndId(el)
    .split(/\s+/)
    .some((token) => R.contentWords.test(token) && !R.strongChrome.test(token));
}

export function analyze(root: AnyNode & { children: AnyNode[] }, guarded: Set<Element>): Analysis {
  const removed = new Map<Element, string>();
  const weak = new Map<Element, string>();
  const stats = new Map<Element, BlockStats>();
  const t = R.t;

  const analyzeBlock = (block: { children: AnyNode[] }, blockInLink: boolean): BlockStats => {
    const st: BlockStats = { text: 0, link: 0, prose: 0, chrome: 0, weakProse: 0 };
    let runText = 0;
    let runLink = 0;
    const flush = (): void => {
      if (runText === 0) return;
      if (runText >= t.proseMinChars && runLink / runText <= t.proseMaxLinkDensity) st.prose += runText - runLink;
      else st.chrome += runLink * t.chromePenalty + (runText - runLink) * t.shortLinePenalty;
      runText = 0;
      runLink = 0;
    };
    const visit = (children: AnyNode[], inLink: boolean): void => {
      for (const child of children) {
        if (child.type === 'text') {
          const n = visibleLength(child.data);
          st.text += n;
          runText += n;
          if (inLink) {
            st.link += n;
            runLink += n;
          }
          continue;
        }
        if (!isElement(child)) continue;
        const verdict = judge(child, guarded);
        if (verdict.kind === 'drop') {
          removed.set(child, verdict.rule);
          continue;
        }
        if (BLOCK_TAGS.has(child.name)) {
          flush();
          const cs = analyzeBlock(child, inLink);
          // A data table is part of an article, never the article itself: it weighs for its ancestors only.
          const dataTable = child.name === 'table' && weighDataTable(child, cs);
          if (verdict.kind === 'strong' && !outweighsChrome(child, cs)) {
            removed.set(child, verdict.rule);
            continue;
          }
          if (!dataTable) stats.set(child, cs);
          st.text += cs.text;
          st.link += cs.link;
          st.weakProse += cs.weakProse;
          if (verdict.kind === 'weak') {
            weak.set(child, verdict.rule);
            // Whether a weakly named block is chrome depends on the container finally chosen
            // (a short article can sit in a "module"); to its ancestors it weighs as chrome
            // unless it holds a lot of prose.
            if (cs.prose < t.weakChromeKeepChars) {
              st.chrome += cs.chrome + cs.prose * t.chromePenalty;
              st.weakProse += cs.prose;
              continue;
            }
          }
          st.prose += cs.prose;
          st.chrome += cs.chrome;
          if (couldBeCard(child, cs)) cards.push({ signature: cardSignature(child), prose: cs.prose });
        } else if (verdict.kind !== 'keep' && (verdict.kind === 'strong' || textOf(child).length < t.weakChromeKeepChars)) {
          removed.set(child, verdict.rule);
        } else if (child.name === 'br') {
          // A line break inside a paragraph keeps it one run; lists of short lines stay short lines.
          continue;
        } else {
          visit(child.children, inLink || child.name === 'a');
        }
      }
    };
    const cards: { signature: string; prose: number }[] = [];
    visit(block.children, blockInLink);
    flush();
    discountRepeatedCards(cards, st);
    return st;
  };

  const top = analyzeBlock(root, false);
  if (isElement(root)) stats.set(root, top);
  return { removed, weak, stats };
}

/**
 * Inside the chosen container, a weakly named block is chrome unless it holds a large share of
 * the container's prose (then it is the article's own wrapper, named after the page layout).
 */
export function weakChromeRule(el: Element, analysis: Analysis, container: BlockStats): string | undefined {
  const rule = analysis.weak.get(el);
  if (rule === undefined) return undefined;
  const prose = analysis.stats.get(el)?.prose ?? 0;
  const kept = prose >= R.t.weakChromeKeepChars || prose >= container.prose * R.t.weakChromeKeepShare;
  return kept ? undefined : rule;
}

/** Length of a text node as rendered: whitespace runs count as one character. */
function visibleLength(data: string): number {
  let n = 0;
  let space = true;
  for (let i = 0; i < data.length; i++) {
    const c = data.charCodeAt(i);
    const isSpace = c === 32 || c === 10 || c === 9 || c === 13 || c === 160 || c === 12;
    if (isSpace) {
      if (!space) n++;
      space = true;
    } else {
      n++;
      space = false;
    }
  }
  return n;
}
