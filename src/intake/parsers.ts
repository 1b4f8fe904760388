/**
 * One byte-level push parser per detected format, shared by the whole-buffer and the
 * streaming drivers (one implementation, two drivers). Input: the format, the sniffed head
 * bytes, the sink. Output: a ChunkParser<Uint8Array>. Errors: those of the format readers.
 */
import { badInput, ERROR_CODES } from '../errors.js';
import type { SourceFile } from '../schema/pipeline.js';
import type { ChunkParser, IntakeFormat, IntakeLimits, RecordSink } from './types.js';
import { chooseEncoding, createStreamDecoder, decodeBytes } from './encoding.js';
import { createWarcParser } from './warc.js';
import { createJsonLinesParser } from './jsonl.js';
import { createJsonDocumentParser } from './json-array.js';
import { createFeedParser } from './feed.js';
import { INTAKE_RULES } from './rules.js';

// UTF-8 needs at most 4 bytes per character: a document of more bytes than this cannot fit maxArticleChars.
const BYTES_PER_CHAR_CEILING = 4;

/** Text and HTML files are one record: gather the bytes (bounded), decode once at the end. */
function wholeDocumentParser(format: 'text' | 'html', file: SourceFile, limits: IntakeLimits, sink: RecordSink): ChunkParser<Uint8Array> {
  const maxBytes = limits.maxArticleChars * BYTES_PER_CHAR_CEILING + 4;
  const parts: Uint8Array[] = [];
  let size = 0;
  return {
    push(chunk) {
      size += chunk.length;
      if (size > maxBytes) {
        throw badInput(ERROR_CODES.INVALID_RECORD, `${file.name} is one ${format} document of more than ${maxBytes} bytes, over the ${limits.maxArticleChars}-character limit (maxArticleChars)`);
      }
      parts.push(chunk);
    },
    end() {
      const bytes = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
      const { encoding } = chooseEncoding({ head: bytes });
      sink.noteEncoding(encoding);
      const content = decodeBytes(bytes, encoding);
      if (!content.trim()) throw badInput(ERROR_CODES.EMPTY_FILE, `${file.name} holds only white space`);
      sink.record({ origin: 'file', kind: format, content, hints: {} }, 0);
    },
  };
}

/** Decodes bytes to text with the encoding chosen from the head, then feeds a text parser. */
function decodingParser(head: Uint8Array, complete: boolean, sink: RecordSink, text: ChunkParser<string>): ChunkParser<Uint8Array> {
  const { encoding } = chooseEncoding({ head, truncated: !complete });
  sink.noteEncoding(encoding);
  const decoder = createStreamDecoder(encoding);
  return {
    push(chunk) {
      decoder.writeEach(chunk, (s) => s && text.push(s));
    },
    end() {
      const s = decoder.end();
      if (s) text.push(s);
      text.end();
    },
  };
}

export interface ParserContext {
  format: IntakeFormat;
  file: SourceFile;
  limits: IntakeLimits;
  sink: RecordSink;
  /** The first bytes (for the encoding choice) and whether they are the whole content. */
  head: Uint8Array;
  complete: boolean;
}

export function openParser({ format, file, limits, sink, head, complete }: ParserContext): ChunkParser<Uint8Array> {
  const maxChars = limits.maxArticleChars;
  switch (format) {
    case 'text':
    case 'html':
      return wholeDocumentParser(format, file, limits, sink);
    case 'warc':
      return createWarcParser({ sink, fileName: file.name, maxRecordBytes: maxChars * INTAKE_RULES.warcMaxRecordFactor });
    case 'jsonl':
      return decodingParser(head, complete, sink, createJsonLinesParser({ sink, maxLineChars: maxChars * INTAKE_RULES.jsonlMaxLineFactor }));
    case 'json':
      return decodingParser(head, complete, sink, createJsonDocumentParser({
        sink,
        fileName: file.name,
        maxElementChars: maxChars * INTAKE_RULES.jsonlMaxLineFactor,
        maxDocumentChars: maxChars * INTAKE_RULES.jsonlMaxLineFactor,
      }));
    case 'feed':
      return decodingParser(head, complete, sink, createFeedParser({ sink, fileName: file.name, maxItemChars: maxChars * INTAKE_RULES.jsonlMaxLineFactor }));
  }
}
