/**
 * Tokens with their layout, for the place and name finders: a token knows whether it follows
 * the previous one across plain spaces only (so "New Zealand" is one run but "Japan, China"
 * is two). Input: text. Output: tokens. Errors: none.
 */
import { codeAt, endOfLettersAndDigits, letterOrDigitLength } from './chars.js';

export interface Token {
  /** The word with a trailing possessive removed ("China's" → "China", "AUKUS'" → "AUKUS"). */
  word: string;
  /** True when only spaces separate it from the previous token. */
  joined: boolean;
  capitalized: boolean;
}

// A token is what the regex /[\p{L}\p{N}]+(?:[.'’&-][\p{L}\p{N}]+)*\.?['’]?s?/gu matches: runs of
// letters and digits with internal dots, hyphens, apostrophes and ampersands ("U.S.",
// "Self-Defense", "AT&T", "O'Brien"), then an optional dot, apostrophe and "s". It is scanned by
// hand (chars.ts) to spare a match array per token; test/unit/classify/scanners.test.ts holds
// the regex to it.
const DOT = 0x2e;
const APOSTROPHE = 0x27;
const RIGHT_QUOTE = 0x2019;
const AMPERSAND = 0x26;
const HYPHEN = 0x2d;
const SMALL_S = 0x73;
const SPACE = 0x20;
const UPPER_START = /^\p{Lu}/u;
const ABBREVIATION = /^(?:\p{L}\.)+$/u;

const isApostrophe = (c: number) => c === APOSTROPHE || c === RIGHT_QUOTE;
const isInnerJoiner = (c: number) => c === DOT || c === HYPHEN || c === AMPERSAND || isApostrophe(c);

function onlySpaces(text: string, from: number, to: number): boolean {
  if (from >= to) return false;
  for (let i = from; i < to; i++) if (text.charCodeAt(i) !== SPACE) return false;
  return true;
}

function startsUpper(word: string): boolean {
  const c = word.charCodeAt(0);
  if (c >= 65 && c <= 90) return true;
  if (c < 128) return false;
  return UPPER_START.test(word);
}

/** End of the token starting at `start` (a letter or digit). */
function tokenEnd(text: string, start: number): number {
  let end = endOfLettersAndDigits(text, start);
  while (isInnerJoiner(codeAt(text, end)) && letterOrDigitLength(text, end + 1)) end = endOfLettersAndDigits(text, end + 1);
  if (codeAt(text, end) === DOT) end++;
  if (isApostrophe(codeAt(text, end))) end++;
  if (codeAt(text, end) === SMALL_S) end++;
  return end;
}

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let lastEnd = -1;
  for (let start = 0; start < text.length; ) {
    if (!letterOrDigitLength(text, start)) {
      start++;
      continue;
    }
    const end = tokenEnd(text, start);
    const joined = lastEnd >= 0 && onlySpaces(text, lastEnd, start);
    lastEnd = end;
    // A trailing possessive goes: "China's" → "China", "AUKUS'" → "AUKUS".
    let wordEnd = end;
    if (isApostrophe(text.charCodeAt(end - 1))) wordEnd = end - 1;
    else if (end - start > 2 && text.charCodeAt(end - 1) === SMALL_S && isApostrophe(text.charCodeAt(end - 2))) wordEnd = end - 2;
    let word = text.slice(start, wordEnd);
    // A trailing dot is sentence punctuation unless the token is an abbreviation like "U.S.".
    let endsSentence = false;
    if (text.charCodeAt(wordEnd - 1) === DOT && !ABBREVIATION.test(word)) {
      word = word.slice(0, -1);
      endsSentence = true;
    }
    tokens.push({ word, joined, capitalized: startsUpper(word) });
    // The next token cannot join across a sentence end.
    if (endsSentence) lastEnd = -1;
    start = end;
  }
  return tokens;
}
