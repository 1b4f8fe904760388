/**
 * Character encodings: which one a file (or a WARC record) uses, and decoding with it.
 * Input: leading bytes (plus a transport charset such as a WARC record's HTTP header).
 * Output: an encoding name with the evidence it came from; decoders (whole or streaming).
 * Errors: none — every byte sequence decodes (see `chooseEncoding`).
 *
 * Evidence order: BOM, transport header, in-document declaration (<meta charset>, XML
 * declaration), then detection. Invalid UTF-8 with no evidence is decoded as windows-1252,
 * not rejected with E_DECODE: it is what such files are in practice (old CMS exports,
 * Windows tools), every byte maps to a character, and a wrong guess is visible and
 * repairable downstream, while a rejected file loses every article in it.
 */
import { isUtf8 } from 'node:buffer';
import { StringDecoder } from 'node:string_decoder';
import iconv from 'iconv-lite';
import chardet from 'chardet';

export type EncodingEvidence = 'bom' | 'transport' | 'declared' | 'utf8-over-declared' | 'valid-utf8' | 'detected' | 'fallback';

export interface EncodingChoice {
  encoding: string;
  evidence: EncodingEvidence;
}

// Labels that browsers (WHATWG) read as another encoding; Latin-1 pages are in practice cp1252.
const LABEL_ALIASES: Readonly<Record<string, string>> = {
  'iso-8859-1': 'windows-1252', iso88591: 'windows-1252', latin1: 'windows-1252', 'latin-1': 'windows-1252',
  'us-ascii': 'windows-1252', ascii: 'windows-1252', 'iso_8859-1': 'windows-1252', cp1252: 'windows-1252',
  'x-sjis': 'shift_jis', sjis: 'shift_jis', 'ms_kanji': 'shift_jis', 'windows-31j': 'shift_jis',
  'ks_c_5601-1987': 'euc-kr', 'x-euc-kr': 'euc-kr', gb2312: 'gb18030', gbk: 'gb18030', 'x-gbk': 'gb18030',
  utf8: 'utf-8', 'unicode-1-1-utf-8': 'utf-8', 'x-unicode20utf8': 'utf-8',
  'utf-16': 'utf-16le', unicode: 'utf-16le',
};
const LATIN_LABELS = new Set(['windows-1252']);
const UTF_DECODERS = new Set(['utf-8', 'utf-16le', 'utf-16be']);

/** Canonical encoding name for a label, or undefined when no decoder knows it. */
export function normalizeEncodingLabel(label: string | undefined): string | undefined {
  if (!label) return undefined;
  const clean = label.trim().replace(/^["']|["']$/g, '').toLowerCase();
  if (!clean) return undefined;
  const name = LABEL_ALIASES[clean] ?? clean;
  if (UTF_DECODERS.has(name)) return name;
  return iconv.encodingExists(name) ? name : undefined;
}

export function bomEncoding(bytes: Uint8Array): string | undefined {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  return undefined;
}

/** `text/html; charset=Shift_JIS` → 'Shift_JIS'. */
export function charsetFromContentType(contentType: string | undefined): string | undefined {
  return contentType ? /charset\s*=\s*["']?([\w.:-]+)/i.exec(contentType)?.[1] : undefined;
}

const XML_DECLARATION = /^\s*<\?xml[^>]*?\bencoding\s*=\s*["']([\w.:-]+)["']/i;
const META_CHARSET = /<meta\b[^>]*?\bcharset\s*=\s*["']?([\w.:-]+)/i;

/** The charset a document declares about itself in its first bytes (XML declaration or <meta>). */
export function declaredCharset(head: Uint8Array): string | undefined {
  const ascii = Buffer.from(head.buffer, head.byteOffset, Math.min(head.length, 8192)).toString('latin1');
  return XML_DECLARATION.exec(ascii)?.[1] ?? META_CHARSET.exec(ascii)?.[1];
}

/**
 * True when `bytes` is UTF-8; when `truncated`, an incomplete sequence at the very end is
 * allowed (the head of a stream can stop inside a character).
 */
export function isValidUtf8(bytes: Uint8Array, truncated = false): boolean {
  let end = bytes.length;
  if (truncated) {
    // Back off at most 3 bytes to the start of a possibly cut final character.
    let i = end - 1;
    while (i >= 0 && i >= end - 3 && (bytes[i]! & 0xc0) === 0x80) i--;
    if (i >= 0 && bytes[i]! >= 0xc0) end = i;
  }
  return isUtf8(bytes.subarray(0, end));
}

function hasNonAscii(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) if (bytes[i]! >= 0x80) return true;
  return false;
}

function detected(head: Uint8Array): string | undefined {
  for (const match of chardet.analyse(head)) {
    if (match.confidence < 30) break;
    const name = normalizeEncodingLabel(match.name);
    // chardet says UTF-8 only for valid UTF-8, already handled; UTF-32 guesses on binary-ish junk are noise.
    if (name && name !== 'utf-8' && !name.startsWith('utf-32')) return name;
  }
  return undefined;
}

export interface EncodingInput {
  /** Leading bytes of the document (a whole record when small). */
  head: Uint8Array;
  /** Charset from outside the document: a WARC record's HTTP Content-Type. */
  transport?: string | undefined;
  /** The head is a prefix of a longer stream, not the whole document. */
  truncated?: boolean;
}

export function chooseEncoding({ head, transport, truncated = false }: EncodingInput): EncodingChoice {
  const bom = bomEncoding(head);
  if (bom) return { encoding: bom, evidence: 'bom' };
  const utf8 = hasNonAscii(head) && isValidUtf8(head, truncated);
  for (const [label, evidence] of [
    [transport, 'transport'],
    [declaredCharset(head), 'declared'],
  ] as const) {
    const name = normalizeEncodingLabel(label);
    if (!name) continue;
    // A page declared Latin-1 whose bytes are valid non-ASCII UTF-8 is UTF-8: the other way round is vanishingly rare.
    if (LATIN_LABELS.has(name) && utf8) return { encoding: 'utf-8', evidence: 'utf8-over-declared' };
    return { encoding: name, evidence };
  }
  if (!hasNonAscii(head) || utf8) return { encoding: 'utf-8', evidence: 'valid-utf8' };
  const guess = detected(head);
  if (guess) return { encoding: guess, evidence: 'detected' };
  return { encoding: 'windows-1252', evidence: 'fallback' };
}

/** Whole-buffer decode; a BOM is dropped. */
export function decodeBytes(bytes: Uint8Array, encoding: string): string {
  return createStreamDecoder(encoding).decodeAll(bytes);
}

export interface StreamDecoder {
  /** Decodes the next chunk; a character cut between chunks is carried over. */
  write(chunk: Uint8Array): string;
  /** Like write, but hands the text over in pieces of at most ~32 K characters (see DECODE_SLICE_BYTES). */
  writeEach(chunk: Uint8Array, emit: (text: string) => void): void;
  end(): string;
  decodeAll(bytes: Uint8Array): string;
}

// Node's TextDecoder reads the label windows-1252 as ISO-8859-1 (0x92 → U+0092, not ’), so
// single-byte code pages go through iconv-lite; bytes a code page leaves undefined (0x81 in
// windows-1252) keep their own code point, as browsers do, instead of becoming U+FFFD.
function keepUndefinedBytes(decoded: string, bytes: Uint8Array, singleByte: boolean): string {
  if (!singleByte || !decoded.includes('\uFFFD') || decoded.length !== bytes.length) return decoded;
  let out = '';
  for (let i = 0; i < decoded.length; i++) out += decoded[i] === '\uFFFD' ? String.fromCharCode(bytes[i]!) : decoded[i];
  return out;
}

function isSingleByte(encoding: string): boolean {
  return /^(windows-125\d|iso-8859-\d+|koi8-[ru]|cp\d+|macintosh)$/.test(encoding);
}

// V8 allocates strings over ~128 KB in large-object space, page by page: decoding a 256 KB
// chunk of non-ASCII UTF-8 in one call costs ten times the CPU of 64 KB calls (measured on
// Node 20: 643 ms vs 68 ms for 48 MB). Streams are therefore decoded, and passed on, in slices.
const DECODE_SLICE_BYTES = 32 * 1024;

function eachSlice(bytes: Uint8Array, fn: (slice: Buffer) => void): void {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let at = 0; at < buf.length; at += DECODE_SLICE_BYTES) fn(buf.subarray(at, at + DECODE_SLICE_BYTES));
}

function decodeInSlices(bytes: Uint8Array, decode: (slice: Buffer) => string): string {
  const parts: string[] = [];
  eachSlice(bytes, (slice) => parts.push(decode(slice)));
  return parts.join('');
}

export function createStreamDecoder(encoding: string): StreamDecoder {
  if (encoding === 'utf-8' || encoding === 'utf-16le') {
    const decoder = new StringDecoder(encoding === 'utf-8' ? 'utf8' : 'utf16le');
    let first = true;
    const dropBom = (s: string) => (s.charCodeAt(0) === 0xfeff ? s.slice(1) : s);
    const decodeSlice = (slice: Buffer) => {
      const s = decoder.write(slice);
      if (!first || !s) return s;
      first = false;
      return dropBom(s);
    };
    return {
      write: (chunk) => decodeInSlices(chunk, decodeSlice),
      writeEach: (chunk, emit) => eachSlice(chunk, (slice) => emit(decodeSlice(slice))),
      end: () => decoder.end(),
      decodeAll: (bytes) => {
        const whole = new StringDecoder(encoding === 'utf-8' ? 'utf8' : 'utf16le');
        return dropBom(decodeInSlices(bytes, (slice) => whole.write(slice)) + whole.end());
      },
    };
  }
  if (UTF_DECODERS.has(encoding)) {
    const decoder = new TextDecoder(encoding);
    return {
      write: (chunk) => decoder.decode(chunk, { stream: true }),
      writeEach: (chunk, emit) => eachSlice(chunk, (slice) => emit(decoder.decode(slice, { stream: true }))),
      end: () => decoder.decode(),
      decodeAll: (bytes) => new TextDecoder(encoding).decode(bytes),
    };
  }
  const decoder = iconv.getDecoder(encoding, { stripBOM: true });
  const singleByte = isSingleByte(encoding);
  const asBuffer = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  const write = (chunk: Uint8Array) => keepUndefinedBytes(decoder.write(asBuffer(chunk)), chunk, singleByte);
  return {
    write,
    writeEach: (chunk, emit) => eachSlice(chunk, (slice) => emit(write(slice))),
    end: () => decoder.end() ?? '',
    decodeAll: (bytes) => keepUndefinedBytes(iconv.decode(asBuffer(bytes), encoding), bytes, singleByte),
  };
}
