/**
 * Inline typography fixes for one paragraph: stray spaces before punctuation ("ever ." →
 * "ever.") and quotation marks opened with one kind and closed with the other (`'We're …,"`
 * → `"We're …,"`). Input: a paragraph. Output: the fixed paragraph. Errors: none.
 */

/** "ever ." → "ever."; an ellipsis (" ...") and decimals (" .5") are left alone. */
export function fixSpacing(text: string): string {
  return text
    .replace(/ {2,}/g, ' ')
    .replace(/(?<=\S) +([,;:!?]|\.(?![.\d]))(?=$|\s|["'”’)\]])/gu, '$1')
    // A dash spaced on one side only ("year —a step") gets spaces on both.
    .replace(/(\p{L}) ([—–])(?=\p{L})/gu, '$1 $2 ')
    .replace(/(\p{L})([—–]) (?=\p{L})/gu, '$1 $2 ')
    .replace(/([([]) +/g, '$1')
    .replace(/ +([)\]])/g, '$1')
    .trim();
}

type QuoteChar = '"' | "'";
interface Mark {
  index: number;
  char: QuoteChar;
}

// Longest span a quotation may cover before we stop trusting the pairing.
const MAX_QUOTE_SPAN = 1500;
const OPEN_BEFORE = /[\s([{—–-]/u;
const SENTENCE_PUNCT = /[,.!?;:…]/u;

function isWordChar(ch: string | undefined): boolean {
  return ch !== undefined && /[\p{L}\p{N}]/u.test(ch);
}

/**
 * Pairs straight quotes by position: an opener starts a word, a closer ends one, a quote
 * between letters is an apostrophe. A pair opened with ' and closed with " (or the other
 * way round) becomes a pair of double quotes; a mismatched closer is only trusted next to
 * sentence punctuation, so a plural possessive (players' union) is not taken for one.
 */
export function normalizeQuotes(text: string): string {
  const chars = [...text];
  const stack: Mark[] = [];
  const fixes = new Map<number, string>();
  chars.forEach((ch, i) => {
    if (ch !== '"' && ch !== "'") return;
    const before = chars[i - 1];
    const after = chars[i + 1];
    if (isWordChar(before) && isWordChar(after)) return; // we're, Beijing's
    const canOpen = (before === undefined || OPEN_BEFORE.test(before)) && after !== undefined && !/\s/u.test(after);
    const canClose = before !== undefined && !/\s/u.test(before) && (after === undefined || !isWordChar(after));
    const top = stack[stack.length - 1];
    if (canClose && top) {
      if (top.char === ch) {
        stack.pop();
        return;
      }
      const trusted = SENTENCE_PUNCT.test(before ?? '') || SENTENCE_PUNCT.test(after ?? '');
      if (trusted && i - top.index <= MAX_QUOTE_SPAN) {
        stack.pop();
        fixes.set(top.index, '"');
        fixes.set(i, '"');
        return;
      }
    }
    if (canOpen) stack.push({ index: i, char: ch });
  });
  if (!fixes.size) return text;
  return chars.map((ch, i) => fixes.get(i) ?? ch).join('');
}
