/**
 * Sentence boundaries for prose, and regrouping of over-long one-line bodies into
 * paragraphs. Input: a paragraph. Output: its sentences / paragraphs (text unchanged apart
 * from the cut points). Errors: none.
 */
import { TEXT_RULES, type TextRules } from '../rules/text-rules.js';

// A boundary candidate: terminal punctuation, optional closing quotes/brackets, spaces, then
// something that can start a sentence.
const BOUNDARY = /([.!?…]+["'”’)\]]*)\s+(?=["'“‘(\[]?[\p{Lu}\p{N}])/gu;

function endsWithAbbreviation(before: string, rules: TextRules): boolean {
  const m = /(?:^|[\s(])([\p{L}.]+)\.$/u.exec(before);
  if (!m) return false;
  const word = m[1]!.toLowerCase();
  // Single initials ("J. Smith") and listed abbreviations ("Mr.", "U.S.") do not end sentences.
  return word.length === 1 || rules.abbreviationSet.has(word);
}

export function splitSentences(text: string, rules: TextRules = TEXT_RULES): string[] {
  const sentences: string[] = [];
  let start = 0;
  for (const m of text.matchAll(BOUNDARY)) {
    const end = m.index + m[1]!.length;
    const before = text.slice(start, end);
    if (m[1] === '.' && endsWithAbbreviation(before, rules)) continue;
    sentences.push(before.trim());
    start = m.index + m[0].length;
  }
  const rest = text.slice(start).trim();
  if (rest) sentences.push(rest);
  return sentences.filter(Boolean);
}

/** Cuts a long one-line body at sentence ends into paragraphs of roughly `targetChars`. */
export function resplitParagraph(text: string, rules: TextRules = TEXT_RULES): string[] {
  const { resplitMinChars, targetChars, maxSentencesPerParagraph } = rules.paragraphs;
  if (text.length < resplitMinChars) return [text];
  const out: string[] = [];
  let current: string[] = [];
  let length = 0;
  for (const sentence of splitSentences(text, rules)) {
    current.push(sentence);
    length += sentence.length + 1;
    if (length >= targetChars || current.length >= maxSentencesPerParagraph) {
      out.push(current.join(' '));
      current = [];
      length = 0;
    }
  }
  if (current.length) {
    // A lone short tail reads better attached to the paragraph before it.
    const tail = current.join(' ');
    if (out.length && tail.length < targetChars / 3) out[out.length - 1] += ` ${tail}`;
    else out.push(tail);
  }
  return out;
}
