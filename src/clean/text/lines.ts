/**
 * Line level of the text-dump cleaner: each line is classified (prose, list item, chrome,
 * section heading, article separator), then hard-wrapped prose is re-joined into
 * paragraphs. Input: the dump's lines. Output: line items plus a note for each cut.
 * Errors: none.
 */
import type { CutNote } from '../../schema/pipeline.js';
import { normalizeLineKey, type TextRules } from '../rules/text-rules.js';

export type LineItem =
  | { kind: 'prose'; text: string }
  | { kind: 'list-item'; text: string; /** The item's number when the line was numbered ("3)", "3."). */ ordinal?: number }
  | { kind: 'section'; section: string; text: string }
  | { kind: 'break'; text: string }
  | { kind: 'blank' };

const BULLET = /^(?:[-*•·▪►]|\d{1,2}[.)])\s+(?=\S)/u;

export function chromeRuleFor(line: string, rules: TextRules): string | null {
  if (line.length > rules.maxChromeLineChars) return null;
  const phrase = rules.chromeLineSet.get(normalizeLineKey(line));
  if (phrase !== undefined) return `chrome-line:${phrase}`;
  const pattern = rules.chromeRegexes.find((p) => p.re.test(line));
  return pattern ? `chrome-pattern:${pattern.source}` : null;
}

/** Markdown a person may paste: "# Title", a line in *emphasis*, [link text](url). */
export function stripMarkdown(line: string): string {
  return line
    .replace(/^#{1,6}\s+(.*?)(?:\s+#+)?$/u, '$1')
    .replace(/^(\*{1,2}|_{1,2})(\S(?:.*\S)?)\1$/u, '$2')
    .replace(/\[([^\]]+)\]\((?:https?:|\/)[^)\s]*\)/gu, '$1');
}

export function classifyLines(rawLines: readonly string[], rules: TextRules, notes: CutNote[]): LineItem[] {
  return rawLines.map((raw): LineItem => {
    const line = stripMarkdown(raw.trim());
    if (!line) return { kind: 'blank' };
    if (rules.separator.test(line)) return { kind: 'break', text: line };
    const section =
      rules.sectionByHeading.get(normalizeLineKey(line)) ??
      rules.sectionRegexes.find((s) => s.re.test(line))?.section;
    if (section) return { kind: 'section', section, text: line };
    const chrome = chromeRuleFor(line, rules);
    if (chrome) {
      notes.push({ stage: 'clean', rule: chrome, text: line });
      return { kind: 'blank' };
    }
    if (BULLET.test(line)) {
      const number = /^(\d{1,2})[.)]/u.exec(line);
      return { kind: 'list-item', text: line.replace(BULLET, ''), ...(number ? { ordinal: Number(number[1]) } : {}) };
    }
    return { kind: 'prose', text: line };
  });
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;
}

/**
 * The common line width when the dump is hard-wrapped (most lines that continue into
 * another line are nearly that long), else null.
 */
export function wrapWidth(items: readonly LineItem[], rules: TextRules): number | null {
  const { maxWidth, minWidth, minFillRatio, minWrappedShare, minLines } = rules.hardWrap;
  const prose = items.filter((i): i is { kind: 'prose'; text: string } => i.kind === 'prose');
  if (prose.length < minLines) return null;
  const width = percentile(
    prose.map((p) => p.text.length).sort((a, b) => a - b),
    0.9,
  );
  if (width < minWidth || width > maxWidth) return null;
  let continued = 0;
  let full = 0;
  items.forEach((item, i) => {
    const next = items[i + 1];
    if (item.kind !== 'prose' || next?.kind !== 'prose') return;
    continued += 1;
    if (item.text.length >= width * minFillRatio) full += 1;
  });
  return continued >= minLines - 1 && full / continued >= minWrappedShare ? width : null;
}

function joinTwo(a: string, b: string): { text: string; dehyphenated: boolean } {
  // "contin-" + "uing" → "continuing"; "well-" + "Known" keeps its hyphen.
  if (/\p{Ll}-$/u.test(a) && /^\p{Ll}/u.test(b)) return { text: a.slice(0, -1) + b, dehyphenated: true };
  return { text: `${a} ${b}`, dehyphenated: false };
}

const BROKEN_WORD_END = /\p{Ll}-$/u;
const LOWER_START = /^\p{Ll}/u;

/**
 * Re-joins hard-wrapped prose: in a wrapped dump a nearly full line continues into the next
 * prose line; in any dump a word broken by a hyphen at the end of a line ("contin-" +
 * "uing") is re-joined.
 */
export function joinWrappedLines(items: readonly LineItem[], rules: TextRules, notes: CutNote[]): LineItem[] {
  const width = wrapWidth(items, rules);
  const fullLine = width === null ? Infinity : width * rules.hardWrap.minFillRatio;
  const out: LineItem[] = [];
  // Length of the last physical line of out's last item: only a full line continues.
  let lastPhysical = 0;
  let joins = 0;
  for (const item of items) {
    const prev = out[out.length - 1];
    const prevIsText = prev?.kind === 'prose' || prev?.kind === 'list-item';
    const brokenWord = prevIsText && item.kind === 'prose' && BROKEN_WORD_END.test(prev.text) && LOWER_START.test(item.text);
    if (prevIsText && item.kind === 'prose' && (brokenWord || lastPhysical >= fullLine)) {
      const joined = joinTwo(prev.text, item.text);
      if (joined.dehyphenated) notes.push({ stage: 'clean', rule: 'dehyphenate', text: `${prev.text.slice(-20)}|${item.text.slice(0, 20)}` });
      out[out.length - 1] = { ...prev, text: joined.text };
      joins += 1;
    } else {
      out.push(item);
    }
    lastPhysical = item.kind === 'prose' || item.kind === 'list-item' ? item.text.length : 0;
  }
  if (joins) notes.push({ stage: 'clean', rule: 'join-hard-wrapped-lines', text: `${joins} line breaks joined${width === null ? '' : ` (width ${width})`}` });
  return out;
}
