/**
 * Gunzip with a ceiling, whole-buffer and streaming. Input: gzip bytes (one or several
 * members, as in .warc.gz). Output: the decompressed bytes / chunks.
 * Errors: E_DECOMPRESSED_TOO_LARGE past `maxBytes` (gzip bombs stop there, nothing larger
 * is ever allocated), E_BAD_GZIP for corrupt or truncated data.
 */
import zlib from 'node:zlib';
import { constants as bufferConstants } from 'node:buffer';
import { Readable } from 'node:stream';
import { badInput, CopydeskError, ERROR_CODES } from '../errors.js';

function tooLarge(name: string, maxBytes: number): CopydeskError {
  return badInput(ERROR_CODES.DECOMPRESSED_TOO_LARGE, `${name} decompresses to more than ${maxBytes} bytes (maxDecompressedBytes)`, { limit: maxBytes });
}

function badGzip(name: string, err: unknown): CopydeskError {
  return badInput(ERROR_CODES.BAD_GZIP, `${name} is not a readable gzip file: ${err instanceof Error ? err.message : String(err)}`);
}

export function gunzipAll(name: string, bytes: Uint8Array, maxBytes: number): Uint8Array {
  const ceiling = Math.min(maxBytes, bufferConstants.MAX_LENGTH);
  try {
    return zlib.gunzipSync(bytes, { maxOutputLength: ceiling });
  } catch (err) {
    if (err instanceof RangeError || (err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge(name, maxBytes);
    throw badGzip(name, err);
  }
}

/** Streams the decompressed chunks; stops (and frees zlib) as soon as the ceiling is passed. */
export async function* gunzipChunks(name: string, input: AsyncIterable<Uint8Array>, maxBytes: number): AsyncGenerator<Uint8Array> {
  const source = Readable.from(input, { objectMode: false });
  const gunzip = zlib.createGunzip();
  // pipe() does not forward source errors (e.g. the file-size limit); pass them on by hand.
  source.on('error', (err) => gunzip.destroy(err));
  source.pipe(gunzip);
  let total = 0;
  try {
    for await (const chunk of gunzip as AsyncIterable<Buffer>) {
      total += chunk.length;
      if (total > maxBytes) throw tooLarge(name, maxBytes);
      yield chunk;
    }
  } catch (err) {
    if (err instanceof CopydeskError) throw err;
    throw badGzip(name, err);
  } finally {
    source.destroy();
    gunzip.destroy();
  }
}
