/**
 * Format detection from content first, extension second (a .txt holding HTML is HTML,
 * a .json holding JSON lines is JSON lines). Input: file name and leading bytes.
 * Output: an IntakeFormat, or 'gzip' when the bytes must be gunzipped first.
 * Errors: E_UNSUPPORTED_FORMAT for binary files, E_BAD_FEED for XML that is not a feed.
 */
import { badInput, ERROR_CODES } from '../errors.js';
import { INTAKE_RULES } from './rules.js';
import type { IntakeFormat } from './types.js';
import { bomEncoding, decodeBytes } from './encoding.js';

const SIGNATURES = INTAKE_RULES.binarySignatures.map((s) => ({ name: s.name, bytes: Buffer.from(s.hex, 'hex') }));
const EXTENSION_FORMAT = new Map<string, IntakeFormat>(
  Object.entries(INTAKE_RULES.extensions).flatMap(([format, exts]) => exts.map((e) => [e, format as IntakeFormat] as const)),
);
const HTML_START = new RegExp(`^<(?:${INTAKE_RULES.htmlStartTags.map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})(?=[\\s>/-]|$)`, 'i');
const HTML_MARKERS = INTAKE_RULES.htmlMarkers.map((m) => m.toLowerCase());
const FEED_ROOT = /<(?:[\w-]+:)?(rss|feed|RDF)\b/;
const ROOT_NAME = /<([\w:-]+)/y;
const DOCTYPE = /<!DOCTYPE/iy;

export function extensionOf(name: string): string {
  const base = name.toLowerCase().replace(/\.gz$/, '');
  const dot = base.lastIndexOf('.');
  return dot < 0 ? '' : base.slice(dot + 1);
}

export function isGzip(head: Uint8Array): boolean {
  return head[0] === 0x1f && head[1] === 0x8b;
}

function signatureOf(head: Uint8Array): string | undefined {
  for (const sig of SIGNATURES) {
    if (head.length >= sig.bytes.length && Buffer.compare(head.subarray(0, sig.bytes.length), sig.bytes) === 0) return sig.name;
  }
  return undefined;
}

function isWarc(head: Uint8Array): boolean {
  return Buffer.from(head.buffer, head.byteOffset, Math.min(head.length, 5)).toString('latin1') === 'WARC/';
}

// A WARC record's version line or type field at the start of a line.
const WARC_MARKER = /(?:^|[\r\n])(?:WARC\/\d+\.\d+\r?\n|WARC-Type:)/;

/**
 * A .warc whose first record header is damaged still shows other records' headers in its
 * head: it is a broken WARC (E_BAD_WARC from the reader), not a page or a binary file. Read
 * as HTML it gave one page and silently dropped every other record.
 */
function isDamagedWarc(name: string, head: Uint8Array): boolean {
  return EXTENSION_FORMAT.get(extensionOf(name)) === 'warc' && WARC_MARKER.test(Buffer.from(head.buffer, head.byteOffset, head.byteLength).toString('latin1'));
}

// Text in any supported encoding has no NUL bytes, except UTF-16 (which starts with a BOM).
// WARC is checked first: its records carry binary payloads (images) verbatim.
function hasNulBytes(head: Uint8Array): boolean {
  return !bomEncoding(head) && head.subarray(0, 4096).includes(0);
}

/** The head as text good enough for sniffing markup (ASCII-compatible encodings and UTF-16 with BOM). */
function headText(head: Uint8Array): string {
  const bom = bomEncoding(head);
  const text = bom && bom !== 'utf-8' ? decodeBytes(head, bom) : Buffer.from(head.buffer, head.byteOffset, head.byteLength).toString('latin1');
  return text.replace(/^\uFEFF|^\u00EF\u00BB\u00BF/, '').trimStart();
}

/** True when a JSON text's first line is a complete value and another value starts on a later line. */
function looksLikeJsonLines(text: string): boolean {
  const newline = text.indexOf('\n');
  if (newline < 0) return false;
  const rest = text.slice(newline + 1).trimStart();
  if (!rest.startsWith('{') && !rest.startsWith('[')) return false;
  try {
    JSON.parse(text.slice(0, newline));
    return true;
  } catch {
    return false;
  }
}

export function looksLikeHtml(text: string): boolean {
  const start = text.trimStart();
  if (HTML_START.test(start)) return true;
  const lower = start.slice(0, 4096).toLowerCase();
  return HTML_MARKERS.filter((m) => lower.includes(m)).length >= 2;
}

/**
 * The root element's name, past the prolog (processing instructions, comments, doctype), in
 * one forward scan. (A regex with the prolog as a repeated group backtracked exponentially
 * on a run of comments or PIs that ends in no element: 60 comments hung intake for good.)
 */
export function xmlRootName(text: string): string {
  let at = 0;
  for (;;) {
    while (at < text.length && /\s/.test(text[at]!)) at++;
    let close: [string, number] | undefined;
    if (text.startsWith('<?', at)) close = ['?>', at + 2];
    else if (text.startsWith('<!--', at)) close = ['-->', at + 4];
    else if (((DOCTYPE.lastIndex = at), DOCTYPE.test(text))) close = ['>', at];
    if (!close) {
      ROOT_NAME.lastIndex = at;
      return ROOT_NAME.exec(text)?.[1] ?? '';
    }
    const end = text.indexOf(close[0], close[1]);
    if (end < 0) return ''; // unclosed: no root in the head
    at = end + close[0].length;
  }
}

function xmlFormat(name: string, text: string): IntakeFormat {
  const root = xmlRootName(text);
  const local = root.replace(/^[\w-]+:/, '').toLowerCase();
  if (local === 'html') return 'html';
  if (local === 'rss' || local === 'feed' || local === 'rdf') return 'feed';
  // Some feeds put a stylesheet or comment banner first; look a little further for the root.
  if (FEED_ROOT.test(text.slice(0, 4096))) return 'feed';
  throw badInput(ERROR_CODES.BAD_FEED, `${name} is XML with root <${root || '?'}>, not an RSS, Atom or RDF feed`, { root });
}

/** `head` is the first bytes of the (already gunzipped) content; `name` may still end in .gz. */
export function detectFormat(name: string, head: Uint8Array): IntakeFormat {
  const warc = isWarc(head) || isDamagedWarc(name, head);
  const binary = signatureOf(head) ?? (warc ? undefined : hasNulBytes(head) ? 'binary file' : undefined);
  if (binary) {
    throw badInput(
      ERROR_CODES.UNSUPPORTED_FORMAT,
      `${name} looks like a ${binary}, not text; copydesk reads text, HTML, JSON/JSON lines, WARC and RSS/Atom feeds (optionally gzipped)`,
      { detected: binary },
    );
  }
  const ext = extensionOf(name);
  const byExtension = EXTENSION_FORMAT.get(ext);
  const text = headText(head);
  if (warc || text.startsWith('WARC/')) return 'warc';
  if (text.startsWith('<?xml') || (byExtension === 'feed' && text.startsWith('<'))) return xmlFormat(name, text);
  if (/^<(?:rss|feed|rdf:RDF)\b/i.test(text)) return 'feed';
  if (text.startsWith('<') && HTML_START.test(text)) return 'html';
  if (text.startsWith('{') || text.startsWith('[')) {
    if (byExtension === 'jsonl') return 'jsonl';
    if (looksLikeJsonLines(text)) return 'jsonl';
    if (byExtension === 'json' || /^[[{]\s*["{[\]}]/.test(text)) return 'json';
  }
  if (looksLikeHtml(text)) return 'html';
  if (byExtension === 'warc') return 'warc';
  if (byExtension === 'json' || byExtension === 'jsonl') return byExtension;
  return 'text';
}
