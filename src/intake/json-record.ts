/**
 * Crawler JSON records → raw records: finds the content field (HTML or text) and the usual
 * metadata fields by the names listed in intake-rules.json. Input: one parsed JSON value.
 * Output: a record without index, or a problem naming the fields that were found.
 * Errors: none thrown; a layout that fits no rule comes back as an E_BAD_RECORD_LAYOUT problem.
 */
import { ERROR_CODES, type ErrorCode } from '../errors.js';
import type { RawRecord, RecordHints } from '../schema/pipeline.js';
import { looksLikeHtml } from './detect.js';
import { INTAKE_RULES } from './rules.js';

const F = INTAKE_RULES.jsonFields;
type Json = Record<string, unknown>;

export type MappedRecord = { ok: true; record: Omit<RawRecord, 'index'> } | { ok: false; code: ErrorCode; message: string };

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function firstString(obj: Json, fields: readonly string[]): string | undefined {
  for (const f of fields) {
    const v = obj[f];
    if (typeof v === 'string' && v.trim()) return v.trim();
    if (typeof v === 'number' && Number.isFinite(v) && f !== 'name') return String(v);
    if (isObject(v)) {
      // {"source": {"name": "NHK"}}, {"url": {"href": …}}, WordPress {"content": {"rendered": …}}
      const inner = firstString(v, ['name', 'title', 'href', 'value', 'text', 'html', 'rendered', '#text']);
      if (inner) return inner;
    }
  }
  return undefined;
}

function names(v: unknown): string[] {
  if (typeof v === 'string') return v.split(/\s*(?:;|\||\band\b)\s*/).map((s) => s.trim()).filter(Boolean);
  if (Array.isArray(v)) return v.flatMap((x) => (typeof x === 'string' ? [x.trim()] : isObject(x) ? names(x.name ?? x.fullName) : [])).filter(Boolean);
  if (isObject(v)) return names(v.name ?? v.fullName);
  return [];
}

// A time zone Date parses correctly: Z, an offset, GMT/UTC or a US zone name (RFC 2822).
const EXPLICIT_ZONE = /(?:Z|[+-]\d{2}:?\d{2}|\b(?:GMT|UTC|UT|[ECMP][SD]T))\s*$/i;

/**
 * ISO 8601 (UTC) for an epoch (seconds or milliseconds) or a date string that states its
 * time zone. A string without one ("Jun 9, 2025 16:54 (JST)", "2025-06-11 14:02") gives
 * undefined unless `assumeUtc`: Date would read it in the server's zone, a silent error.
 */
export function toIsoDate(v: unknown, assumeUtc = false): string | undefined {
  let date: Date | undefined;
  if (typeof v === 'number' && Number.isFinite(v)) date = new Date(v < 1e11 ? v * 1000 : v);
  else if (typeof v === 'string' && v.trim()) {
    const s = v.trim();
    if (/^\d{9,13}$/.test(s)) date = new Date(Number(s) < 1e11 ? Number(s) * 1000 : Number(s));
    else if (EXPLICIT_ZONE.test(s)) date = new Date(s);
    else if (assumeUtc && /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(s)) date = new Date(`${s.replace(' ', 'T')}Z`);
  }
  if (!date || Number.isNaN(date.getTime())) return undefined;
  const year = date.getUTCFullYear();
  return year >= 1900 && year <= 2200 ? date.toISOString() : undefined;
}

function unwrap(obj: Json): Json {
  if (firstString(obj, F.html) || firstString(obj, F.content)) return obj;
  for (const w of F.wrappers) {
    const inner = obj[w];
    if (isObject(inner)) return { ...obj, ...inner };
  }
  return obj;
}

function hintsOf(obj: Json): RecordHints {
  const hints: RecordHints = {};
  const url = firstString(obj, F.url);
  if (url) hints.url = url;
  const title = firstString(obj, F.title);
  if (title) hints.title = title;
  const published = firstString(obj, F.publishedAt);
  // Kept as written when it does not parse: split may understand "Jun 9, 2025 16:54 (JST)".
  // A bare date stays a date (midnight UTC would claim a precision the record does not have).
  if (published) hints.publishedAt = /^\d{4}-\d{2}-\d{2}$/.test(published) ? published : (toIsoDate(obj[F.publishedAt.find((f) => obj[f] !== undefined)!]) ?? published);
  const source = firstString(obj, F.source);
  if (source) hints.source = source;
  const authorField = F.authors.find((f) => obj[f] !== undefined);
  const authors = authorField ? names(obj[authorField]) : [];
  if (authors.length) hints.authors = authors;
  const capturedField = F.capturedAt.find((f) => obj[f] !== undefined);
  // Crawlers log capture times in UTC, often without saying so.
  const captured = capturedField ? toIsoDate(obj[capturedField], true) : undefined;
  if (captured) hints.capturedAt = captured;
  const language = firstString(obj, F.language);
  if (language) hints.language = language;
  return hints;
}

function fieldList(obj: Json): string {
  const keys = Object.keys(obj);
  return keys.length ? keys.slice(0, 30).join(', ') + (keys.length > 30 ? ', …' : '') : '(none)';
}

export function mapJsonRecord(value: unknown): MappedRecord {
  if (!isObject(value)) {
    return { ok: false, code: ERROR_CODES.BAD_RECORD_LAYOUT, message: `expected a JSON object, found ${Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value}` };
  }
  const obj = unwrap(value);
  const html = firstString(obj, F.html);
  const text = html ?? firstString(obj, F.content);
  if (!text) {
    return {
      ok: false,
      code: ERROR_CODES.BAD_RECORD_LAYOUT,
      message: `no content field (one of ${[...F.html, ...F.content].join(', ')}); fields found: ${fieldList(value)}`,
    };
  }
  const idField = F.id.find((f) => typeof obj[f] === 'string' || typeof obj[f] === 'number');
  const record: Omit<RawRecord, 'index'> = {
    origin: 'json-record',
    kind: looksLikeHtml(text) ? 'html' : 'text',
    content: text,
    hints: hintsOf(obj),
  };
  if (idField) record.recordId = String(obj[idField]);
  return { ok: true, record };
}

/** The records inside a whole JSON document: an array, a single record, or a wrapper holding an array. */
export function recordsOfDocument(doc: unknown): unknown[] | undefined {
  if (Array.isArray(doc)) return doc;
  if (!isObject(doc)) return undefined;
  for (const key of F.collections) {
    const v = doc[key];
    if (Array.isArray(v)) return v;
    // Elasticsearch: {"hits": {"hits": [...]}}
    if (isObject(v) && Array.isArray(v[key])) return v[key] as unknown[];
  }
  return [doc];
}
