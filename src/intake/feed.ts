/**
 * RSS 2.0 / RSS 1.0 (RDF) / Atom reader, a push parser over decoded text. Items are cut out
 * of the text one at a time (CDATA- and comment-aware) and each is parsed alone with
 * cheerio in XML mode, so memory holds one item whatever the feed's size.
 * Input: text chunks. Output: feed-item records (content:encoded > content > description
 * > summary; HTML → kind 'html'), with link, date, authors, title, id and the feed's title
 * as source. Items with no content are skipped and counted; oversized items are problems.
 * Errors: E_BAD_FEED thrown when the text holds no feed element at all.
 */
import * as cheerio from 'cheerio';
import type { Element } from 'domhandler';
import { badInput, ERROR_CODES } from '../errors.js';
import type { RecordHints } from '../schema/pipeline.js';
import type { ChunkParser, RecordSink } from './types.js';
import { looksLikeHtml } from './detect.js';
import { toIsoDate } from './json-record.js';

const MAX_HEADER_CHARS = 1024 * 1024;
// The next thing that matters: a CDATA section, a comment, or an item/entry start tag.
const NEXT_MARK = /<!\[CDATA\[|<!--|<((?:[\w-]+:)?(?:item|entry))(?=[\s>/])/g;
const CONTENT_FIELDS = ['content:encoded', 'content', 'description', 'summary', 'atom:content', 'atom:summary', 'media:description'];
const DATE_FIELDS = ['pubDate', 'published', 'dc:date', 'updated', 'atom:published', 'atom:updated', 'date', 'dcterms:created', 'dcterms:issued'];
const AUTHOR_FIELDS = ['dc:creator', 'author', 'atom:author', 'creator'];

export interface FeedParserOptions {
  sink: RecordSink;
  fileName: string;
  maxItemChars: number;
}

interface FeedContext {
  title?: string;
  language?: string;
}

function childMap($: cheerio.CheerioAPI, el: Element): Map<string, Element[]> {
  const map = new Map<string, Element[]>();
  for (const child of $(el).children().toArray()) {
    const list = map.get(child.tagName) ?? [];
    list.push(child);
    map.set(child.tagName, list);
  }
  return map;
}

function textOf($: cheerio.CheerioAPI, el: Element | undefined): string | undefined {
  return el ? $(el).text().trim() || undefined : undefined;
}

function contentOf($: cheerio.CheerioAPI, el: Element): string | undefined {
  // Atom type="xhtml" carries markup as child elements, not as escaped text.
  if ((el.attribs.type ?? '').toLowerCase() === 'xhtml') return $(el).html()?.trim() || undefined;
  return textOf($, el);
}

function linkOf($: cheerio.CheerioAPI, children: Map<string, Element[]>): string | undefined {
  for (const el of [...(children.get('link') ?? []), ...(children.get('atom:link') ?? [])]) {
    const rel = el.attribs.rel ?? 'alternate';
    if (el.attribs.href && rel === 'alternate') return el.attribs.href.trim();
    if (!el.attribs.href && textOf($, el)) return textOf($, el);
  }
  const origLink = textOf($, children.get('feedburner:origLink')?.[0]);
  if (origLink) return origLink;
  const guid = children.get('guid')?.[0];
  if (guid && guid.attribs.isPermaLink !== 'false' && /^https?:/.test(textOf($, guid) ?? '')) return textOf($, guid);
  return undefined;
}

function authorsOf($: cheerio.CheerioAPI, children: Map<string, Element[]>): string[] {
  const names: string[] = [];
  for (const field of AUTHOR_FIELDS) {
    for (const el of children.get(field) ?? []) {
      const nameEl = $(el).children().toArray().find((c) => c.tagName === 'name' || c.tagName === 'atom:name');
      const raw = (nameEl ? textOf($, nameEl) : textOf($, el)) ?? '';
      // RSS <author> is "email (Name)"; keep the name.
      const name = /\(([^)]+)\)\s*$/.exec(raw)?.[1] ?? (raw.includes('@') && !raw.includes(' ') ? '' : raw);
      if (name.trim()) names.push(name.trim());
    }
  }
  return [...new Set(names)];
}

function readContext(headerXml: string): FeedContext {
  const $ = cheerio.load(headerXml, { xml: true });
  const channel = $('channel, feed').first();
  const scope = channel.length ? channel : $('*').first();
  const title = scope.children('title').first().text().trim();
  const language = scope.children('language, dc\\:language').first().text().trim() || $('[xml\\:lang]').first().attr('xml:lang');
  const context: FeedContext = {};
  if (title) context.title = title;
  if (language) context.language = language;
  return context;
}

export function createFeedParser({ sink, fileName, maxItemChars }: FeedParserOptions): ChunkParser<string> {
  let buffer = '';
  let header: string[] = [];
  let context: FeedContext | undefined;
  let sawFeed = false;
  let item = 0;
  let skippingUntil: string | undefined; // close tag of an oversized item being skipped

  function ensureContext(): FeedContext {
    if (!context) {
      const headerXml = header.join('');
      sawFeed ||= /<(?:[\w-]+:)?(?:rss|feed|RDF|channel)\b/.test(headerXml);
      context = readContext(headerXml);
      header = [];
    }
    return context;
  }

  function emitItem(xml: string, tagName: string): void {
    const index = item++;
    const $ = cheerio.load(xml, { xml: true });
    const el = $(tagName.replace(':', '\\:')).toArray()[0];
    if (!el || el.type !== 'tag') return sink.skip('feed:unreadable-item');
    const children = childMap($, el);
    const content = CONTENT_FIELDS.map((f) => children.get(f)?.[0]).map((c) => (c ? contentOf($, c) : undefined)).find(Boolean);
    if (!content) return sink.skip('feed:item-without-content');
    const ctx = ensureContext();
    const hints: RecordHints = {};
    const title = textOf($, children.get('title')?.[0]);
    if (title) hints.title = title;
    const link = linkOf($, children);
    if (link) hints.url = link;
    const dateText = DATE_FIELDS.map((f) => textOf($, children.get(f)?.[0])).find(Boolean);
    if (dateText) hints.publishedAt = toIsoDate(dateText) ?? dateText;
    const authors = authorsOf($, children);
    if (authors.length) hints.authors = authors;
    // RSS <source> is the name; Atom <source> holds the original feed's elements, its <title> the name.
    const sourceEl = children.get('source')?.[0];
    const source = (sourceEl && $(sourceEl).children().length ? textOf($, childMap($, sourceEl).get('title')?.[0]) : textOf($, sourceEl)) ?? ctx.title;
    if (source) hints.source = source;
    const language = textOf($, children.get('dc:language')?.[0]) ?? ctx.language;
    if (language) hints.language = language;
    const id = textOf($, children.get('guid')?.[0]) ?? textOf($, children.get('id')?.[0]);
    sink.record({ origin: 'feed-item', kind: looksLikeHtml(content) ? 'html' : 'text', content, hints, ...(id ? { recordId: id } : {}) }, index);
  }

  /** Index just past `</tag>` searching from `from`, skipping CDATA and comments; -1 when not in the buffer yet. */
  function findClose(tag: string, from: number): number {
    const close = `</${tag}`;
    let pos = from;
    for (;;) {
      const cdata = buffer.indexOf('<![CDATA[', pos);
      const comment = buffer.indexOf('<!--', pos);
      const end = buffer.indexOf(close, pos);
      if (end < 0) return -1;
      const skip = [cdata, comment].filter((x) => x >= 0 && x < end).sort((a, b) => a - b)[0];
      if (skip === undefined) {
        const gt = buffer.indexOf('>', end);
        return gt < 0 ? -1 : gt + 1;
      }
      const skipEnd = skip === cdata ? buffer.indexOf(']]>', skip) : buffer.indexOf('-->', skip);
      if (skipEnd < 0) return -1;
      pos = skipEnd + 3;
    }
  }

  function drain(final: boolean): void {
    let pos = 0;
    for (;;) {
      if (skippingUntil) {
        const end = findClose(skippingUntil, pos);
        if (end < 0) {
          pos = Math.max(pos, buffer.length - skippingUntil.length - 16);
          break;
        }
        skippingUntil = undefined;
        pos = end;
        continue;
      }
      NEXT_MARK.lastIndex = pos;
      const m = NEXT_MARK.exec(buffer);
      if (!m) {
        // Keep a tail that may be the start of a mark cut by the chunk boundary.
        const keepFrom = Math.max(pos, buffer.length - 32);
        if (!context) header.push(buffer.slice(pos, keepFrom));
        pos = keepFrom;
        break;
      }
      if (!context) header.push(buffer.slice(pos, m.index));
      if (m[1] === undefined) {
        const end = buffer.indexOf(m[0] === '<!--' ? '-->' : ']]>', m.index);
        if (end < 0) {
          pos = m.index;
          break;
        }
        if (!context) header.push(buffer.slice(m.index, end + 3));
        pos = end + 3;
        continue;
      }
      ensureContext();
      sawFeed = true;
      const tag = m[1];
      const end = findClose(tag, m.index);
      if (end < 0) {
        pos = m.index;
        if (buffer.length - m.index > maxItemChars) {
          sink.problem({ index: item++, code: ERROR_CODES.INVALID_RECORD, message: `feed item longer than ${maxItemChars} characters; skipped` });
          skippingUntil = tag;
          // Keep a tail: the item's close tag may be cut by the chunk boundary.
          pos = Math.max(m.index + 1, buffer.length - tag.length - 16);
        }
        break;
      }
      emitItem(buffer.slice(m.index, end), tag);
      pos = end;
    }
    buffer = buffer.slice(pos);
    if (!context && header.reduce((n, s) => n + s.length, 0) > MAX_HEADER_CHARS) ensureContext();
    if (final && buffer.trim() && /<(?:[\w-]+:)?(?:item|entry)[\s>/]/.test(buffer)) {
      sink.problem({ index: item, code: ERROR_CODES.BAD_FEED, message: 'the feed ends inside an item (the file may be truncated)' });
    }
  }

  return {
    push(text: string): void {
      buffer += text;
      drain(false);
    },
    end(): void {
      drain(true);
      if (!context) header.push(buffer);
      ensureContext();
      if (!sawFeed) throw badInput(ERROR_CODES.BAD_FEED, `${fileName} has no <rss>, <feed> or <rdf:RDF> element`);
    },
  };
}
