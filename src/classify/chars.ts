/**
 * Character classes for the hand-written scanners in tokenize.ts and scan.ts: whether the code
 * point at a position is a letter or digit (Unicode \p{L} or \p{N}, as the /u regexes they
 * replace). Input: text and position. Output: the code point's length in UTF-16 units when it
 * is a letter or digit, else 0 (also past the end). Errors: none.
 *
 * The scanners replace regex matching because each match allocates a match array: without
 * them the garbage collector runs about a quarter less often over the benchmark articles.
 */

const LETTER_OR_DIGIT = /^[\p{L}\p{N}]$/u;

const ASCII_LETTER_OR_DIGIT = Uint8Array.from({ length: 128 }, (_, c) => ((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) ? 1 : 0));

// Per BMP code unit beyond ASCII: 0 not yet known, 1 letter or digit, 2 neither. Filled on first
// sight (testing all 65,536 up front would take ~25 ms at load).
const BMP_CLASS = new Uint8Array(0x10000);

export function letterOrDigitLength(text: string, i: number): number {
  // Reading past the end would give NaN, and V8 makes every read of a site that did so slower.
  if (i >= text.length) return 0;
  const c = text.charCodeAt(i);
  return c < 128 ? ASCII_LETTER_OR_DIGIT[c]! : beyondAsciiLength(text, i, c);
}

function beyondAsciiLength(text: string, i: number, c: number): number {
  if (c >= 0xd800 && c <= 0xdbff) {
    // A surrogate pair is one code point (astral letters: CJK extensions, Gothic, …); a lone
    // surrogate is no letter, as for the /u regexes.
    const low = i + 1 < text.length ? text.charCodeAt(i + 1) : 0;
    return low >= 0xdc00 && low <= 0xdfff && LETTER_OR_DIGIT.test(text.slice(i, i + 2)) ? 2 : 0;
  }
  let known = BMP_CLASS[c]!;
  if (known === 0) known = BMP_CLASS[c] = LETTER_OR_DIGIT.test(String.fromCharCode(c)) ? 1 : 2;
  return known === 1 ? 1 : 0;
}

/** Index just past the run of letters and digits starting at `i` (`i` itself when there is none). */
export function endOfLettersAndDigits(text: string, i: number): number {
  // The hottest loop of classifying: ASCII is tested inline.
  while (i < text.length) {
    const c = text.charCodeAt(i);
    const step = c < 128 ? ASCII_LETTER_OR_DIGIT[c]! : beyondAsciiLength(text, i, c);
    if (step === 0) break;
    i += step;
  }
  return i;
}

/** The UTF-16 code unit at `i`, or -1 past the end (see letterOrDigitLength). */
export function codeAt(text: string, i: number): number {
  return i < text.length ? text.charCodeAt(i) : -1;
}
