/**
 * Tokens with their layout, for the place and name finders: a token knows whether it follows
 * the previous one across plain spaces only (so "New Zealand" is one run but "Japan, China"
 * is two). Input: text. Output: tokens. Errors: none.
 */

export interface Token {
  /** The word with a trailing possessive removed ("China's" → "China", "AUKUS'" → "AUKUS"). */
  word: string;
  /** True when only spaces separate it from the previous token. */
  joined: boolean;
  capitalized: boolean;
}

// Internal dots, hyphens, apostrophes and ampersands stay inside a token: "U.S.", "Self-Defense", "AT&T", "O'Brien".
const TOKEN = /[\p{L}\p{N}]+(?:[.'’&-][\p{L}\p{N}]+)*\.?['’]?s?/gu;
const POSSESSIVE = /['’]s?$/u;
const UPPER_START = /^\p{Lu}/u;
const ABBREVIATION = /^(?:\p{L}\.)+$/u;

function onlySpaces(text: string, from: number, to: number): boolean {
  if (from >= to) return false;
  for (let i = from; i < to; i++) if (text.charCodeAt(i) !== 32) return false;
  return true;
}

function startsUpper(word: string): boolean {
  const c = word.charCodeAt(0);
  if (c >= 65 && c <= 90) return true;
  if (c < 128) return false;
  return UPPER_START.test(word);
}

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let lastEnd = -1;
  for (const m of text.matchAll(TOKEN)) {
    let word = m[0];
    const start = m.index;
    const joined = lastEnd >= 0 && onlySpaces(text, lastEnd, start);
    lastEnd = start + word.length;
    if (word.includes("'") || word.includes('’')) word = word.replace(POSSESSIVE, '');
    // A trailing dot is sentence punctuation unless the token is an abbreviation like "U.S.".
    let endsSentence = false;
    if (word.endsWith('.') && !ABBREVIATION.test(word)) {
      word = word.slice(0, -1);
      endsSentence = true;
    }
    tokens.push({ word, joined, capitalized: startsUpper(word) });
    // The next token cannot join across a sentence end.
    if (endsSentence) lastEnd = -1;
  }
  return tokens;
}
