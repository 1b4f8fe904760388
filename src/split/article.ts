/**
 * One article's text → its parts: the header lines above the body (source line, time,
 * "- Source", title, byline) and, inside the body, the dateline ("Tokyo, June 9 (Jiji
 * Press)--") and syndication lines ("This article originally appeared in …", "© 2025 …")
 * moved to metadata. Input: the article's blocks and the capture time. Output: the parts
 * and a note per cut. Errors: none.
 */
import type { Block, CutNote, Published } from '../schema/pipeline.js';
import { findAbsoluteDate } from './dates.js';
import { bylineAuthors, isSourceLike, isTitleLike, timeOfLine } from './header.js';
import type { SplitRules } from './rules.js';

export interface ArticleParts {
  title?: string;
  authors: string[];
  source?: string;
  originalSource?: string;
  published?: Published;
  paragraphs: string[];
  notes: CutNote[];
}

interface Header {
  title?: string;
  authors: string[];
  source?: string;
  time?: Published;
  bodyStart: number;
}

const note = (rule: string, text: string): CutNote => ({ stage: 'split', rule, text });
const sameName = (a: string, b: string) =>
  a.toLowerCase().replace(/^the\s+/, '').replace(/[,.]?\s*(ltd|inc|co)\.?$/i, '') ===
  b.toLowerCase().replace(/^the\s+/, '').replace(/[,.]?\s*(ltd|inc|co)\.?$/i, '');

function readHeader(blocks: readonly Block[], capturedAt: string, rules: SplitRules, knownTitle: string | undefined, notes: CutNote[]): Header {
  const header: Header = { authors: [], bodyStart: 0 };
  const limit = Math.min(blocks.length, rules.header.maxHeaderLines);
  for (let i = 0; i < limit; i++) {
    const block = blocks[i]!;
    const text = block.text.trim();
    const next = blocks[i + 1]?.text;
    const time = timeOfLine(text, capturedAt, rules);
    const byline: DatedByline | null = time ? null : (bylineAuthors(text, rules) ?? datedByline(text, rules));
    if (byline?.published) {
      header.time ??= byline.published;
      notes.push(note(`time-line:${byline.published.method}`, byline.published.raw ?? text));
    }
    if (time) {
      header.time ??= time;
      notes.push(note(`time-line:${time.method}`, text));
    } else if (byline) {
      header.authors.push(...byline.authors);
      if (byline.outlet) header.source ??= byline.outlet;
      notes.push(note('byline', text));
    } else if (header.source && sameName(text, header.source)) {
      notes.push(note('source-line', text)); // "- NHK" repeating the source line
    } else if (isSourceLike(text, rules) && (block.type === 'list-item' || (next !== undefined && timeOfLine(next, capturedAt, rules)))) {
      header.source ??= text;
      notes.push(note('source-line', text));
    } else if (!header.title && knownTitle !== undefined && sameName(text, knownTitle)) {
      header.title = text;
    } else if (!header.title && knownTitle === undefined && next !== undefined && isTitleLike(text, rules)) {
      header.title = text;
    } else {
      break;
    }
    header.bodyStart = i + 1;
  }
  return header;
}

/** "By Ana Sousa — 3 March 2025": a byline with its date after a dash, bar or comma. */
interface DatedByline {
  authors: string[];
  outlet?: string;
  published?: Published;
}

function datedByline(text: string, rules: SplitRules): DatedByline | null {
  const date = findAbsoluteDate(text, rules);
  if (!date || date.index === 0) return null;
  const rest = text.slice(0, date.index).replace(/\s*(?:[—–|,-]|\bon)\s*$/u, '');
  const byline = bylineAuthors(rest, rules);
  return byline ? { ...byline, published: { value: date.iso, method: 'explicit', raw: date.raw } } : null;
}

interface Dateline {
  agency?: string;
  published?: Published;
}

function takeDateline(paragraphs: string[], rules: SplitRules, notes: CutNote[]): Dateline {
  const first = paragraphs[0];
  if (first === undefined) return {};
  for (const re of rules.datelines) {
    const m = re.exec(first);
    if (!m) continue;
    const date = findAbsoluteDate(m[0], rules);
    notes.push(note('dateline', m[0].trim()));
    const rest = first.slice(m[0].length).trim();
    if (rest) paragraphs[0] = rest;
    else paragraphs.shift();
    const agency = m.groups?.agency?.trim();
    return {
      ...(agency ? { agency } : {}),
      ...(date ? { published: { value: date.iso, method: 'dateline' as const, raw: date.raw } } : {}),
    };
  }
  return {};
}

interface Syndication {
  originalSource?: string;
  source?: string;
}

function takeSyndication(paragraphs: string[], rules: SplitRules, notes: CutNote[]): Syndication {
  const found: Syndication = {};
  for (let i = 0; i < paragraphs.length; i++) {
    let text = paragraphs[i]!;
    for (const re of rules.syndicationRes) {
      const m = re.exec(text);
      if (!m) continue;
      found.originalSource ??= m.groups?.originalSource?.trim();
      found.source ??= m.groups?.source?.trim();
      notes.push(note('syndication', m[0].trim()));
      text = (text.slice(0, m.index) + ' ' + text.slice(m.index + m[0].length)).replace(/\s+/g, ' ').trim();
    }
    paragraphs[i] = text;
  }
  for (let i = paragraphs.length - 1; i >= 0; i--) if (!paragraphs[i]) paragraphs.splice(i, 1);
  if (found.originalSource === undefined) delete found.originalSource;
  if (found.source === undefined) delete found.source;
  return found;
}

export function parseArticle(
  blocks: readonly Block[],
  capturedAt: string,
  rules: SplitRules,
  knownTitle?: string,
): ArticleParts {
  const notes: CutNote[] = [];
  const header = readHeader(blocks, capturedAt, rules, knownTitle, notes);
  const paragraphs = blocks.slice(header.bodyStart).map((b) => b.text);
  // A byline can follow the dateline-less title further down ("By Jane Doe" as the first body line).
  const bodyByline = paragraphs[0] !== undefined ? bylineAuthors(paragraphs[0], rules) : null;
  if (bodyByline) {
    header.authors.push(...bodyByline.authors);
    notes.push(note('byline', paragraphs.shift()!));
  }
  const dateline = takeDateline(paragraphs, rules, notes);
  const syndication = takeSyndication(paragraphs, rules, notes);
  const source = header.source ?? dateline.agency ?? syndication.source;
  const agencyElsewhere = dateline.agency && source && !sameName(dateline.agency, source) ? dateline.agency : undefined;
  const originalSource = syndication.originalSource ?? agencyElsewhere;
  const published = dateline.published ?? header.time;
  return {
    ...(header.title !== undefined ? { title: header.title } : {}),
    authors: header.authors,
    ...(source !== undefined ? { source } : {}),
    ...(originalSource !== undefined ? { originalSource } : {}),
    ...(published ? { published } : {}),
    paragraphs,
    notes,
  };
}
