/**
 * Photo captions and credits in text dumps, kept apart from the body. Two shapes:
 * a caption line ending in " |" followed by a credit line ("Royal New Zealand Navy"), and
 * captions flattened into a one-line body ("… on May 5. | Anthony Kwan / The New York Times …").
 * Input: a paragraph (or two lines). Output: the paragraph without captions, the captions,
 * a note per cut. Errors: none.
 */
import type { Caption, CutNote } from '../../schema/pipeline.js';
import type { TextRules } from '../rules/text-rules.js';
import { splitSentences } from './sentences.js';

// A caption describes a scene; fewer words than this is a heading or a label.
const MIN_CAPTION_WORDS = 4;
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const NAME = String.raw`[\p{Lu}][\p{L}.'’-]*(?: [\p{Lu}][\p{L}.'’-]*){0,3}`;

function creditRegex(rules: TextRules): RegExp {
  const outlets = [...rules.captionCredit.outlets].sort((a, b) => b.length - a.length).map(escapeRe).join('|');
  // Known outlet first (so "The New York Times Mainland Chinese …" stops after "Times"), else one capitalized run.
  return new RegExp(String.raw` ?\| ?((?:${NAME} ?/ ?)?(?:${outlets})|${NAME} ?/ ?${NAME})(?=$|[\s.,;:])`, 'gu');
}

const creditCache = new WeakMap<TextRules, RegExp>();
function creditPattern(rules: TextRules): RegExp {
  let re = creditCache.get(rules);
  if (!re) {
    re = creditRegex(rules);
    creditCache.set(rules, re);
  }
  return new RegExp(re.source, re.flags);
}

/** How many of the sentences before a credit belong to the caption: back to the nearest dated scene. */
function captionSentenceCount(sentences: readonly string[], rules: TextRules): number {
  const max = Math.min(rules.captionCredit.maxCaptionSentences, sentences.length);
  for (let n = 1; n <= max; n++) {
    if (rules.captionLead.test(sentences[sentences.length - n]!)) return n;
  }
  return 1;
}

export interface InlineCaptionResult {
  text: string;
  captions: Caption[];
}

export function extractInlineCaptions(paragraph: string, rules: TextRules, notes: CutNote[]): InlineCaptionResult {
  const captions: Caption[] = [];
  let kept = '';
  let cursor = 0;
  for (const m of paragraph.matchAll(creditPattern(rules))) {
    const before = paragraph.slice(cursor, m.index);
    const sentences = splitSentences(before, rules);
    if (!sentences.length) continue;
    const n = captionSentenceCount(sentences, rules);
    const captionText = sentences.slice(-n).join(' ');
    // "Markets | Reuters" is a heading with its site, not a photo caption.
    if (captionText.split(/\s+/).length < MIN_CAPTION_WORDS) continue;
    const credit = m[1]!.trim();
    captions.push({ text: captionText, credit });
    notes.push({ stage: 'clean', rule: 'caption-inline', text: `${captionText} | ${credit}` });
    kept += `${sentences.slice(0, -n).join(' ')} `;
    cursor = m.index + m[0].length;
  }
  if (!captions.length) return { text: paragraph, captions };
  kept += paragraph.slice(cursor);
  return { text: kept.replace(/\s+/g, ' ').trim(), captions };
}

/** "caption … |" followed by a short credit line. */
export function lineCaption(line: string, next: string | undefined, rules: TextRules): Caption | null {
  if (!/\s\|$/u.test(line) || next === undefined) return null;
  const credit = next.trim();
  const words = credit.split(/\s+/).length;
  if (words > rules.captionCredit.maxCreditWords || /[.!?]$/u.test(credit) || !rules.lineCredit.test(credit)) return null;
  return { text: line.replace(/\s*\|$/u, '').trim(), credit };
}
