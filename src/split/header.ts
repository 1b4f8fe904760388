/**
 * Line tests for the top of an article: is this line a title, a source name, a time, a
 * byline? Input: a line (and the rules). Output: what it is. Errors: none.
 */
import type { Published } from '../schema/pipeline.js';
import { dateLine, relativeTime } from './dates.js';
import type { SplitRules } from './rules.js';

const wordCount = (s: string) => s.split(/\s+/).filter(Boolean).length;

export function isTitleLike(line: string, rules: SplitRules): boolean {
  const { maxTitleChars, minTitleWords } = rules.header;
  // Titles end without a full stop; a question or exclamation mark is fine.
  return line.length <= maxTitleChars && wordCount(line) >= minTitleWords && !/[.,;:…]$/u.test(line) && /\p{L}/u.test(line);
}

export function isSourceLike(line: string, rules: SplitRules): boolean {
  const { maxSourceWords, maxSourceChars } = rules.header;
  return (
    line.length <= maxSourceChars &&
    wordCount(line) <= maxSourceWords &&
    /^[\p{Lu}\p{N}]/u.test(line) &&
    !/[.,;:!?…]$/u.test(line)
  );
}

/** A line that only says when: "37 minutes ago", "Jun 9, 2025". */
export function timeOfLine(line: string, capturedAt: string, rules: SplitRules): Published | null {
  const rel = relativeTime(line, capturedAt, rules);
  if (rel) return rel;
  const abs = dateLine(line, rules);
  return abs ? { value: abs.iso, method: 'explicit', raw: abs.raw } : null;
}

/** "By Jane Doe and John Roe" → ["Jane Doe", "John Roe"]; a trailing one-word name after a comma is the outlet. */
export function bylineAuthors(line: string, rules: SplitRules): { authors: string[]; outlet?: string } | null {
  if (line.length > rules.maxBylineChars) return null;
  const m = rules.byline.exec(line.trim());
  if (!m?.groups?.names) return null;
  const names = m.groups.names
    .split(/\s*,\s*|\s+and\s+|\s*&\s*/u)
    .map((n) => n.trim())
    .filter(Boolean);
  let outlet = m.groups.outlet?.trim();
  if (!outlet && names.length > 1 && wordCount(names[names.length - 1]!) === 1 && /,\s*\S+$/u.test(m.groups.names)) {
    outlet = names.pop();
  }
  return outlet ? { authors: names, outlet } : { authors: names };
}
