/**
 * The HTTP response inside a WARC `response` record: status, headers, body with transfer
 * and content encodings undone. Input: the record's block bytes. Output: the parsed message,
 * or undefined when the block is not an HTTP response. Errors: none thrown; a body that
 * cannot be decompressed (or decompresses past `maxBodyBytes`) is reported as `undecodable`.
 */
import zlib from 'node:zlib';

export interface HttpResponse {
  status: number;
  headers: Map<string, string>;
  body: Uint8Array;
  /** Why the body could not be read, when it could not. */
  undecodable?: string;
}

const MAX_HEADER_BYTES = 64 * 1024;

function headerEnd(bytes: Uint8Array): { at: number; length: number } | undefined {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, MAX_HEADER_BYTES));
  const crlf = buf.indexOf('\r\n\r\n');
  const lf = buf.indexOf('\n\n');
  if (crlf >= 0 && (lf < 0 || crlf < lf)) return { at: crlf, length: 4 };
  if (lf >= 0) return { at: lf, length: 2 };
  return undefined;
}

/** Undoes `Transfer-Encoding: chunked`; keeps what it could read when the chunks are cut short. */
function dechunk(body: Uint8Array): Uint8Array {
  const buf = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const parts: Buffer[] = [];
  let pos = 0;
  while (pos < buf.length) {
    const lineEnd = buf.indexOf('\n', pos);
    if (lineEnd < 0) break;
    const size = Number.parseInt(buf.subarray(pos, lineEnd).toString('latin1').trim().split(';')[0] ?? '', 16);
    if (!Number.isFinite(size)) return parts.length ? Buffer.concat(parts) : body;
    if (size === 0) break;
    parts.push(buf.subarray(lineEnd + 1, lineEnd + 1 + size));
    pos = lineEnd + 1 + size;
    while (buf[pos] === 0x0d || buf[pos] === 0x0a) pos++;
  }
  return Buffer.concat(parts);
}

function decompress(body: Uint8Array, encoding: string, maxBodyBytes: number): Uint8Array {
  const opts = { maxOutputLength: maxBodyBytes, finishFlush: zlib.constants.Z_SYNC_FLUSH };
  if (encoding === 'gzip' || encoding === 'x-gzip') return zlib.gunzipSync(body, opts);
  if (encoding === 'deflate') {
    try {
      return zlib.inflateSync(body, opts);
    } catch {
      return zlib.inflateRawSync(body, opts);
    }
  }
  if (encoding === 'br') return zlib.brotliDecompressSync(body, { maxOutputLength: maxBodyBytes });
  throw new Error(`unknown content encoding "${encoding}"`);
}

export function parseHttpResponse(block: Uint8Array, maxBodyBytes: number): HttpResponse | undefined {
  const end = headerEnd(block);
  if (!end) return undefined;
  const lines = Buffer.from(block.buffer, block.byteOffset, end.at).toString('latin1').split(/\r?\n/);
  const status = /^HTTP\/[\d.]+\s+(\d{3})/.exec(lines[0] ?? '');
  if (!status) return undefined;
  const headers = new Map<string, string>();
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  let body: Uint8Array = block.subarray(end.at + end.length);
  const response: HttpResponse = { status: Number(status[1]), headers, body };
  try {
    if (/chunked/i.test(headers.get('transfer-encoding') ?? '')) body = dechunk(body);
    const contentEncoding = (headers.get('content-encoding') ?? '').toLowerCase().trim();
    if (contentEncoding && contentEncoding !== 'identity' && body.length > 0) body = decompress(body, contentEncoding, maxBodyBytes);
  } catch (err) {
    response.undecodable = err instanceof Error ? err.message : String(err);
  }
  response.body = body;
  return response;
}
