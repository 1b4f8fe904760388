/**
 * Main text of a page dump: which lines are the article and which are page furniture
 * (menus, teasers, footers) that no phrase list names. After jusText (Pomikálek 2011):
 * each line is classed by length and stopword density, then short and borderline lines
 * take the class of the text around them; title-like lines just above good text stay.
 * Input: line items. Output: the items that are kept, a note for each line dropped.
 * Errors: none. Dumps without a single good line are left alone (a short note is not a page).
 */
import type { CutNote } from '../../schema/pipeline.js';
import type { TextRules } from '../rules/text-rules.js';
import type { LineItem } from './lines.js';

type LineClass = 'good' | 'neargood' | 'short' | 'bad';
type TextItem = Extract<LineItem, { text: string }>;

const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}]+)?/gu;
const SENTENCE_END = /[.!?。！？…]["'”’)]?$/u;
const isText = (item: LineItem): item is TextItem => item.kind === 'prose' || item.kind === 'list-item';

function wordsOf(text: string): string[] {
  return (text.toLowerCase().match(WORD) ?? []) as string[];
}

/** The stopword list that fits the dump best, or null when none fits (the test is then length only). */
function pickLanguage(lineWords: readonly string[][], rules: TextRules): Set<string> | null {
  let total = 0;
  const hits = new Map<Set<string>, number>();
  const sets = [...rules.stopwordSets.values()];
  for (const words of lineWords) {
    total += words.length;
    for (const w of words) for (const set of sets) if (set.has(w)) hits.set(set, (hits.get(set) ?? 0) + 1);
  }
  if (!total) return null;
  let best: Set<string> | null = null;
  let bestDensity = rules.boilerplate.minLanguageDensity;
  for (const [set, n] of hits) {
    if (n / total >= bestDensity) {
      best = set;
      bestDensity = n / total;
    }
  }
  return best;
}

function classify(text: string, words: readonly string[], stopwords: Set<string> | null, rules: TextRules): LineClass {
  const b = rules.boilerplate;
  let stops = 0;
  if (stopwords) for (const w of words) if (stopwords.has(w)) stops += 1;
  const density = stopwords ? stops / Math.max(1, words.length) : null;
  const sentence = SENTENCE_END.test(text) || /[.!?。]\s/u.test(text);
  if (text.length < b.lengthLow) {
    const prose = sentence && words.length >= b.shortSentenceMinWords && (density === null || density >= b.shortSentenceStopwordsMin);
    return prose ? 'neargood' : 'short';
  }
  if (density === null) return text.length > b.lengthHigh && sentence ? 'good' : sentence ? 'neargood' : 'bad';
  if (density >= b.stopwordsHigh && text.length > b.lengthHigh) return 'good';
  if (density >= b.stopwordsLow) return 'neargood';
  // A full sentence with some function words is prose written tersely (sports results, lists
  // of facts), not a menu: menus and link lists do not end in sentence punctuation.
  return SENTENCE_END.test(text) && density >= b.sentenceStopwordsMin ? 'neargood' : 'bad';
}

type Classes = readonly (LineClass | 'edge')[];

/**
 * For each line, the class of the nearest line before and after it that is not short (nor
 * near-good, if asked); an edge or the end of the dump counts as bad. One pass each way.
 */
function nearest(classes: Classes, skipNeargood: boolean): { prev: LineClass[]; next: LineClass[] } {
  const skip = (c: LineClass | 'edge') => c === 'short' || (skipNeargood && c === 'neargood');
  const scan = (order: number[]): LineClass[] => {
    const out: LineClass[] = new Array<LineClass>(classes.length);
    let last: LineClass = 'bad';
    for (const i of order) {
      out[i] = last;
      const c = classes[i]!;
      if (c === 'edge') last = 'bad';
      else if (!skip(c)) last = c;
    }
    return out;
  };
  const forward = classes.map((_, i) => i);
  return { prev: scan(forward), next: scan(forward.reverse()) };
}

/**
 * Text that appears twice in one dump is a teaser, a blurb or a widget shown in two places
 * (top and bottom boxes), not the article, which a page prints once. It goes, unless too
 * little good text would be left for an article: then the dump holds the article twice (a
 * print copy) and the repeat is the article.
 */
function demoteRepeatedText(items: readonly LineItem[], classes: (LineClass | 'edge')[], seen: ReadonlyMap<string, number>, rules: TextRules): void {
  const repeated = (i: number) => isText(items[i]!) && (seen.get((items[i] as TextItem).text) ?? 0) > 1;
  let goodChars = 0;
  let repeatedGoodChars = 0;
  classes.forEach((c, i) => {
    if (c !== 'good') return;
    const n = (items[i] as TextItem).text.length;
    goodChars += n;
    if (repeated(i)) repeatedGoodChars += n;
  });
  const demoteGood = goodChars - repeatedGoodChars >= rules.boilerplate.minUniqueGoodChars;
  classes.forEach((c, i) => {
    if (!repeated(i)) return;
    if (c === 'neargood' || (c === 'good' && demoteGood)) classes[i] = 'bad';
  });
}

/** Prose cut into one sentence per line is all near-good; a long run of it is the article. */
function promoteNeargoodRuns(items: readonly LineItem[], classes: (LineClass | 'edge')[], rules: TextRules): void {
  const { minNeargoodRunLines, lengthHigh } = rules.boilerplate;
  let run: number[] = [];
  const close = () => {
    const chars = run.reduce((n, i) => n + (isText(items[i]!) ? (items[i] as TextItem).text.length : 0), 0);
    // Only the lines that are sentences: a teaser title inside the run stays near-good and is
    // judged by its context like any other.
    if (run.length >= minNeargoodRunLines && chars >= 2 * lengthHigh) {
      for (const i of run) if (SENTENCE_END.test((items[i] as TextItem).text)) classes[i] = 'good';
    }
    run = [];
  };
  // A short line or two (a subheading, a quote) may sit inside the run; a menu may not.
  let shortsInARow = 0;
  classes.forEach((c, i) => {
    if (c === 'neargood') {
      run.push(i);
      shortsInARow = 0;
    } else if (c === 'short' && isText(items[i]!)) {
      shortsInARow += 1;
      if (shortsInARow > 2) close();
    } else if (c !== 'short' && c !== 'good') close();
  });
  close();
}

function reviseByContext(initial: Classes): (LineClass | 'edge')[] {
  // jusText also keeps a short line next to near-good text; without link density to tell
  // menus apart that keeps whole menus, so here a short line needs good text on both sides.
  const around = nearest(initial, true);
  const afterShort = initial.map((c, i) => (c !== 'short' ? c : around.prev[i] === 'good' && around.next[i] === 'good' ? 'good' : 'bad'));
  const again = nearest(afterShort, true);
  return afterShort.map((c, i) => (c !== 'neargood' ? c : again.prev[i] === 'bad' && again.next[i] === 'bad' ? 'bad' : 'good'));
}

/**
 * A title, byline or time line just above good text belongs to it. One-word lines (menu
 * entries) and lines known to be furniture (repeated, or teasers of an inline box) do not.
 */
function keepHeadings(items: readonly LineItem[], classes: (LineClass | 'edge')[], furniture: ReadonlySet<number>, rules: TextRules): void {
  for (let i = 0; i < items.length; i++) {
    if (classes[i] !== 'bad' || furniture.has(i)) continue;
    const item = items[i]!;
    if (!isText(item) || SENTENCE_END.test(item.text) || item.text.length >= rules.boilerplate.lengthHigh) continue;
    if (!/\S\s+\S/u.test(item.text)) continue;
    let distance = 0;
    for (let j = i + 1; j < items.length && distance <= rules.boilerplate.maxHeadingDistance; j++) {
      if (classes[j] === 'edge') break;
      if (classes[j] === 'good') {
        classes[i] = 'good';
        break;
      }
      const next = items[j]!;
      if (isText(next)) distance += next.text.length;
    }
  }
}

/**
 * A "Related" heading or a separator only ends an article if good prose came before it;
 * one in the menus above the article is page furniture and must not cut the article off.
 */
function demoteEarlyMarkers(items: LineItem[], initial: (LineClass | 'edge')[], notes: CutNote[]): void {
  let goodSinceMarker = false;
  let textSinceMarker = false;
  let previousKept = false;
  items.forEach((item, i) => {
    if (isText(item)) textSinceMarker = true;
    if (initial[i] === 'good') goodSinceMarker = true;
    if (initial[i] !== 'edge') return;
    // "Comments" straight before "Related Articles": the second follows the first.
    const keep = goodSinceMarker || (previousKept && !textSinceMarker);
    if (keep) {
      goodSinceMarker = false;
      textSinceMarker = false;
      previousKept = true;
      return;
    }
    notes.push({ stage: 'clean', rule: 'marker-before-article', text: 'text' in item ? item.text : '' });
    items[i] = { kind: 'blank' };
    initial[i] = 'short';
  });
}

/**
 * After the article has begun, a run of several title-like lines in a row (short, no
 * sentence punctuation) is a teaser list, a tag cloud or a newsletter box: an article puts a
 * paragraph after each of its subheadings. Such a run is dropped (it does not part clusters:
 * a list inside the article would then cut the article in two). Runs above the first good
 * line are left to the other rules: that is where the title and byline sit.
 */
function dropTeaserRuns(items: readonly LineItem[], classes: (LineClass | 'edge')[], furniture: Set<number>, rules: TextRules): void {
  const { minTeaserRunLines, minTeaserRunLinesBeforeGood, maxTitleLikeChars } = rules.boilerplate;
  const runs = new Set<number>();
  let seenGood = false;
  let run: number[] = [];
  // A run straight above a good paragraph may be an article's own heading group (a product
  // name, its price, a "buy" line): it takes more lines to count as a teaser list.
  const close = (beforeGood = false) => {
    const min = beforeGood ? minTeaserRunLinesBeforeGood : minTeaserRunLines;
    if (seenGood && run.length >= min) for (const i of run) runs.add(i);
    run = [];
  };
  items.forEach((item, i) => {
    if (classes[i] === 'edge') {
      close();
      seenGood = false;
      return;
    }
    if (!isText(item)) return;
    // A numbered item is written content (see keepNumberedLists), not a teaser title.
    const numbered = item.kind === 'list-item' && item.ordinal !== undefined;
    if (!numbered && item.text.length < maxTitleLikeChars && !SENTENCE_END.test(item.text)) {
      run.push(i);
      return;
    }
    close(classes[i] === 'good');
    if (classes[i] === 'good') seenGood = true;
  });
  close();
  for (const i of runs) {
    classes[i] = 'bad';
    furniture.add(i);
  }
}

/**
 * Lines numbered 1, 2, 3, ... in order are a list someone wrote (a top-ten, steps, offers):
 * menus and teaser boxes are not numbered. Such a list that starts right after good text,
 * or ends right before it, is part of the article, with the lines between its items (a link,
 * a note). Items may be too short to pass for prose one by one.
 */
function keepNumberedLists(items: readonly LineItem[], classes: (LineClass | 'edge')[], rules: TextRules): void {
  const { minNumberedItems, maxLinesBetweenNumbered } = rules.boilerplate;
  const ordinalAt = (i: number) => {
    const item = items[i]!;
    return item.kind === 'list-item' ? item.ordinal : undefined;
  };
  const nearGood = (from: number, step: 1 | -1) => {
    for (let j = from + step, n = 0; j >= 0 && j < items.length && n <= 1; j += step) {
      if (classes[j] === 'edge') return false;
      if (!isText(items[j]!)) continue;
      if (classes[j] === 'good') return true;
      n += 1;
    }
    return false;
  };
  for (let i = 0; i < items.length; i++) {
    if (ordinalAt(i) !== 1) continue;
    const found = [i];
    for (let j = i + 1, between = 0; j < items.length && between <= maxLinesBetweenNumbered; j++) {
      if (classes[j] === 'edge') break;
      if (ordinalAt(j) === found.length + 1) {
        found.push(j);
        between = 0;
      } else if (isText(items[j]!)) between += 1;
    }
    if (found.length < minNumberedItems) continue;
    let last = found[found.length - 1]!;
    if (!nearGood(i, -1) && !nearGood(last, 1)) continue;
    // The last item has as many lines of its own as the others (its link, its note).
    const perItem = Math.min(...found.slice(1).map((at, k) => at - found[k]! - 1));
    for (let n = 0; n < perItem && last + 1 < items.length && isText(items[last + 1]!) && ordinalAt(last + 1) === undefined; n++) last += 1;
    // The list's own lines win over the teaser-run guess (a last item and its link may sit above the footer menu).
    for (let k = i; k <= last; k++) if (isText(items[k]!)) classes[k] = 'good';
    i = last;
  }
}

/**
 * Inside an article segment (not a related list), the article is the largest cluster of
 * good lines; clusters apart from it by a run of furniture (menus, teasers) are dropped.
 */
function keepLargestCluster(items: readonly LineItem[], classes: (LineClass | 'edge')[], rules: TextRules): void {
  const maxGap = rules.boilerplate.maxGapLines;
  let section: string | null = null;
  let start = 0;
  const closeSegment = (end: number) => {
    if (section === 'related') return;
    const clusters: { from: number; to: number; chars: number }[] = [];
    let gap = Infinity;
    for (let i = start; i < end; i++) {
      const item = items[i]!;
      if (!isText(item)) continue;
      if (classes[i] !== 'good') {
        gap += 1;
        continue;
      }
      if (gap > maxGap || !clusters.length) clusters.push({ from: i, to: i, chars: 0 });
      const last = clusters[clusters.length - 1]!;
      last.to = i;
      last.chars += item.text.length;
      gap = 0;
    }
    if (clusters.length < 2) return;
    // Pages put the article before their legal small print: of the clusters nearly as big as
    // the biggest, the first wins.
    const biggest = Math.max(...clusters.map((c) => c.chars));
    const best = clusters.find((c) => c.chars >= biggest * rules.boilerplate.clusterShareOfBiggest)!;
    for (let i = start; i < end; i++) if ((i < best.from || i > best.to) && classes[i] === 'good') classes[i] = 'bad';
  };
  items.forEach((item, i) => {
    if (classes[i] !== 'edge') return;
    closeSegment(i);
    section = item.kind === 'section' ? item.section : null;
    start = i + 1;
  });
  closeSegment(items.length);
}

/**
 * A "Related" box inside an article (a few teaser titles, then the article goes on) is not
 * the start of a related-articles list: real lists carry a time or source line per item
 * ("37 minutes ago"). The box's heading and teasers go; the article continues.
 */
function demoteInlineRelatedBoxes(
  items: LineItem[],
  classes: (LineClass | 'edge')[],
  furniture: Set<number>,
  rules: TextRules,
  notes: CutNote[],
): void {
  const isRelated = (it: LineItem) => it.kind === 'section' && it.section === 'related';
  for (let i = 0; i < items.length; i++) {
    if (!isRelated(items[i]!)) continue;
    // Boxes may come two in a row ("Related" twice, each with its teasers): the article
    // goes on after the last of them.
    const markers = [i];
    const teasers: number[] = [];
    let good = -1;
    for (let j = i + 1; j < items.length; j++) {
      if (classes[j] === 'edge') {
        if (!isRelated(items[j]!)) break;
        markers.push(j);
      } else if (isText(items[j]!)) {
        if (classes[j] === 'good') {
          good = j;
          break;
        }
        teasers.push(j);
      }
    }
    if (good < 0 || !teasers.length) continue;
    // The cue is a line of its own ("37 minutes ago", "Nov 13, 2019"); a teaser title with a
    // year in it ("... 2020 Predictions: ...") is no sign of a real list.
    const cue = (text: string) => text.length <= rules.relatedItemCueMaxChars && rules.relatedItemCue.test(text);
    if (teasers.some((k) => cue((items[k] as TextItem).text))) continue;
    for (const m of markers) {
      notes.push({ stage: 'clean', rule: 'inline-related-box', text: (items[m] as { text: string }).text });
      items[m] = { kind: 'blank' };
      classes[m] = 'short';
    }
    for (const k of teasers) {
      classes[k] = 'bad';
      furniture.add(k);
    }
    i = good;
  }
}

/** Which items sit in a related-articles list: split reads those item by item, so none is cut here. */
function relatedMask(items: readonly LineItem[]): boolean[] {
  let inRelated = false;
  return items.map((item) => {
    if (item.kind === 'section' || item.kind === 'break') inRelated = item.kind === 'section' && item.section === 'related';
    return inRelated;
  });
}

export function keepMainText(input: readonly LineItem[], rules: TextRules, notes: CutNote[]): LineItem[] {
  // Blank lines carry nothing once wrapped lines are joined, and must not count as context.
  const items = input.filter((item) => item.kind !== 'blank');
  const texts = items.filter(isText).map((i) => i.text);
  const wordsByText = new Map<string, string[]>();
  for (const t of texts) if (!wordsByText.has(t)) wordsByText.set(t, wordsOf(t));
  const stopwords = pickLanguage(texts.map((t) => wordsByText.get(t)!), rules);
  // A sentence that appears twice (teaser titles and blurbs) is furniture, not prose.
  const seen = new Map<string, number>();
  for (const t of texts) seen.set(t, (seen.get(t) ?? 0) + 1);
  const furniture = new Set<number>();
  const initial = items.map((item, i): LineClass | 'edge' => {
    if (item.kind === 'section' || item.kind === 'break') return 'edge';
    if (!isText(item)) return 'short';
    if ((seen.get(item.text) ?? 0) > 1) furniture.add(i);
    return classify(item.text, wordsByText.get(item.text)!, stopwords, rules);
  });
  demoteRepeatedText(items, initial, seen, rules);
  promoteNeargoodRuns(items, initial, rules);
  if (!initial.includes('good')) return items;
  demoteEarlyMarkers(items, initial, notes);
  demoteInlineRelatedBoxes(items, initial, furniture, rules, notes);
  dropTeaserRuns(items, initial, furniture, rules);
  const classes = reviseByContext(initial);
  keepHeadings(items, classes, furniture, rules);
  keepNumberedLists(items, classes, rules);
  keepLargestCluster(items, classes, rules);
  const related = relatedMask(items);
  return items.filter((item, i) => {
    if (!isText(item) || classes[i] !== 'bad' || related[i]) return true;
    notes.push({ stage: 'clean', rule: 'boilerplate-line', text: item.text.slice(0, 200) });
    return false;
  });
}
