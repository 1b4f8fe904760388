/**
 * WARC reader (WARC/0.17–1.1), a push parser over bytes: the sync path pushes the whole
 * file, the stream path pushes chunks, and memory holds at most one record body.
 * Input: WARC bytes (already gunzipped). Output: one html record per `response` record whose
 * HTTP body is HTML (url = WARC-Target-URI, capturedAt = WARC-Date); every other record is
 * counted in `skipped` by type/reason.
 * Errors: E_BAD_WARC thrown when the file does not start with a WARC record; later damage
 * (a bad header, a truncated record) stops the reader and is reported as a problem, so
 * the records before it are kept.
 */
import { badInput, ERROR_CODES } from '../errors.js';
import type { ChunkParser, RecordSink } from './types.js';
import { parseHttpResponse } from './http-message.js';
import { chooseEncoding, charsetFromContentType, decodeBytes } from './encoding.js';
import { looksLikeHtml } from './detect.js';
import { toIsoDate } from './json-record.js';
import { INTAKE_RULES } from './rules.js';

const MAX_HEADER_BYTES = 64 * 1024;
const HTML_TYPES = INTAKE_RULES.htmlContentTypes;

interface WarcHeader {
  version: string;
  fields: Map<string, string>;
  contentLength: number;
}

function parseWarcHeader(text: string): WarcHeader | string {
  const lines = text.split(/\r?\n/);
  const version = lines[0]?.trim() ?? '';
  if (!/^WARC\/\d+\.\d+$/.test(version)) return `expected "WARC/1.x", found "${version.slice(0, 40)}"`;
  const fields = new Map<string, string>();
  let last = '';
  for (const line of lines.slice(1)) {
    if (/^[ \t]/.test(line) && last) {
      fields.set(last, `${fields.get(last)} ${line.trim()}`); // folded continuation line
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    last = line.slice(0, colon).trim().toLowerCase();
    fields.set(last, line.slice(colon + 1).trim());
  }
  const lengthText = fields.get('content-length');
  const contentLength = lengthText !== undefined && /^\d+$/.test(lengthText) ? Number(lengthText) : Number.NaN;
  if (!Number.isSafeInteger(contentLength)) return `missing or invalid Content-Length "${lengthText ?? ''}"`;
  return { version, fields, contentLength };
}

function stripAngles(s: string | undefined): string | undefined {
  return s?.replace(/^<|>$/g, '') || undefined;
}

export interface WarcParserOptions {
  sink: RecordSink;
  fileName: string;
  /** Record bodies larger than this are skipped without being held in memory. */
  maxRecordBytes: number;
}

export function createWarcParser({ sink, fileName, maxRecordBytes }: WarcParserOptions): ChunkParser<Uint8Array> {
  let state: 'header' | 'body' | 'stopped' = 'header';
  let headerBuf: Buffer = Buffer.alloc(0);
  let header: WarcHeader | undefined;
  let remaining = 0;
  let bodyParts: Buffer[] = [];
  let keepBody = false;
  let position = 0; // WARC record number, for problems
  let offset = 0; // bytes consumed before headerBuf, for messages

  function fail(message: string): void {
    if (position === 0) throw badInput(ERROR_CODES.BAD_WARC, `${fileName}: ${message}`, { offset });
    sink.problem({ index: position, code: ERROR_CODES.BAD_WARC, message: `${message} (at byte ${offset}); the rest of the file was not read` });
    state = 'stopped';
  }

  function startBody(h: WarcHeader): void {
    header = h;
    remaining = h.contentLength;
    bodyParts = [];
    const type = (h.fields.get('warc-type') ?? 'unknown').toLowerCase();
    keepBody = type === 'response' && h.contentLength <= maxRecordBytes;
    if (type !== 'response') sink.skip(`warc:${type}`);
    else if (!keepBody) sink.problem({ index: position, code: ERROR_CODES.INVALID_RECORD, message: `response record of ${h.contentLength} bytes is over the ${maxRecordBytes}-byte record limit; skipped` });
    state = 'body';
  }

  function finishRecord(): void {
    if (keepBody && header) emitResponse(header, Buffer.concat(bodyParts));
    bodyParts = [];
    header = undefined;
    position++;
    state = 'header';
  }

  function emitResponse(h: WarcHeader, block: Uint8Array): void {
    const url = stripAngles(h.fields.get('warc-target-uri'));
    const http = /application\/http/i.test(h.fields.get('content-type') ?? 'application/http') ? parseHttpResponse(block, maxRecordBytes) : undefined;
    if (!http) return sink.skip('warc:response-not-http');
    if (http.status < 200 || http.status >= 300) return sink.skip(`warc:http-${Math.floor(http.status / 100)}xx`);
    if (http.undecodable) {
      return sink.problem({ index: position, code: ERROR_CODES.DECODE, message: `response body for ${url ?? '?'} could not be decoded: ${http.undecodable}` });
    }
    const contentType = http.headers.get('content-type') ?? '';
    const declaredHtml = HTML_TYPES.some((t) => contentType.toLowerCase().includes(t));
    const head = http.body.subarray(0, INTAKE_RULES.sniffBytes);
    if (!declaredHtml && (contentType !== '' || !looksLikeHtml(Buffer.from(head).toString('latin1')))) return sink.skip('warc:non-html');
    if (http.body.length === 0) return sink.skip('warc:empty-body');
    const { encoding } = chooseEncoding({ head: http.body, transport: charsetFromContentType(contentType) });
    sink.noteEncoding(encoding);
    const hints: Parameters<RecordSink['record']>[0]['hints'] = {};
    if (url) hints.url = url;
    const capturedAt = toIsoDate(h.fields.get('warc-date'));
    if (capturedAt) hints.capturedAt = capturedAt;
    const recordId = stripAngles(h.fields.get('warc-record-id'));
    sink.record(
      { origin: 'warc-record', kind: 'html', content: decodeBytes(http.body, encoding), hints, ...(recordId ? { recordId } : {}) },
      position,
    );
  }

  function pushHeader(chunk: Buffer): Buffer | undefined {
    headerBuf = headerBuf.length ? Buffer.concat([headerBuf, chunk]) : chunk;
    // Records are separated by CRLFCRLF; tolerate any run of blank lines between them.
    let start = 0;
    while (start < headerBuf.length && (headerBuf[start] === 0x0d || headerBuf[start] === 0x0a)) start++;
    if (start > 0) {
      offset += start;
      headerBuf = headerBuf.subarray(start);
    }
    if (headerBuf.length === 0) return undefined;
    if (headerBuf.length >= 5 && headerBuf.subarray(0, 5).toString('latin1') !== 'WARC/') {
      fail(`expected a WARC record header, found ${JSON.stringify(headerBuf.subarray(0, 20).toString('latin1'))}`);
      return undefined;
    }
    // Only the first MAX_HEADER_BYTES can hold the header: never scan a whole (sync-path) file for it.
    const window = headerBuf.subarray(0, MAX_HEADER_BYTES + 4);
    const crlf = window.indexOf('\r\n\r\n');
    const lf = window.indexOf('\n\n');
    const end = crlf >= 0 && (lf < 0 || crlf < lf) ? { at: crlf, len: 4 } : lf >= 0 ? { at: lf, len: 2 } : undefined;
    if (!end) {
      if (headerBuf.length > MAX_HEADER_BYTES) fail(`WARC header longer than ${MAX_HEADER_BYTES} bytes`);
      return undefined;
    }
    const parsed = parseWarcHeader(headerBuf.subarray(0, end.at).toString('utf8'));
    if (typeof parsed === 'string') {
      fail(parsed);
      return undefined;
    }
    const rest = headerBuf.subarray(end.at + end.len);
    offset += end.at + end.len;
    headerBuf = Buffer.alloc(0);
    startBody(parsed);
    return rest;
  }

  function pushBody(chunk: Buffer): Buffer | undefined {
    const take = Math.min(remaining, chunk.length);
    if (keepBody && take > 0) bodyParts.push(chunk.subarray(0, take));
    remaining -= take;
    offset += take;
    if (remaining > 0) return undefined;
    finishRecord();
    return chunk.subarray(take);
  }

  return {
    push(input: Uint8Array): void {
      let chunk: Buffer | undefined = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
      while (chunk && state !== 'stopped') {
        if (state === 'header') chunk = pushHeader(chunk);
        else chunk = pushBody(chunk);
        if (chunk && chunk.length === 0 && state === 'header') chunk = undefined;
      }
    },
    end(): void {
      if (state === 'body') {
        if (remaining > 0) fail(`record ${position} is truncated: ${remaining} of ${header?.contentLength} body bytes missing`);
        else finishRecord();
      } else if (state === 'header' && headerBuf.length > 0) {
        fail(`the file ends inside a record header`);
      }
    },
  };
}
