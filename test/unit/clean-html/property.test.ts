/**
 * Fuzzing the HTML cleaner (clean() on an HTML record → extractHtml) with fast-check: arbitrary
 * tag soup, structured random pages (nested tags, scripts, styles, comments, entities, broken
 * markup, huge attribute values, nesting up to the intake's depth limit), and the real pages
 * with scripts, styles and comments spliced in anywhere, cut short, bytes overwritten.
 *
 * Every call must return a CleanDoc that CleanDocSchema accepts, or throw a CopydeskError:
 * never another exception, never a hang (sizes are bounded, run time is measured). On top of
 * that: nothing from inside <script>, <style> or a comment reaches the text, no tag is left
 * in it, every word of it is a word of the page as rendered, and the extractor's own output,
 * as a page, comes back unchanged. Seeded: see test/helpers/fuzz.ts.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { load } from 'cheerio/slim';
import type { AnyNode } from 'domhandler';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clean } from '../../../src/clean/index.js';
import { BLOCK_TAGS } from '../../../src/clean/html/dom.js';
import { CleanDocSchema, type CleanDoc, type RawRecord } from '../../../src/schema/pipeline.js';
import { fuzz, orTyped } from '../../helpers/fuzz.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** The stage as the pipeline calls it: a CleanDoc its schema accepts, or null for a typed error. */
function cleanOrTyped(record: RawRecord): CleanDoc | null {
  const doc = orTyped(() => clean(record));
  if (doc) {
    const parsed = CleanDocSchema.safeParse(doc);
    if (!parsed.success) throw new Error(`CleanDoc rejected by its schema: ${parsed.error.message}`);
  }
  return doc;
}

const record = (kind: 'html' | 'text', content: string): RawRecord => ({ index: 0, origin: 'file', kind, content, hints: {} });

/** Every string of the result a reader sees: block texts, captions, metadata. */
function visibleStrings(doc: CleanDoc): string[] {
  const m = doc.meta;
  return [
    ...doc.blocks.map((b) => b.text),
    ...doc.captions.flatMap((c) => [c.text, c.credit ?? '']),
    m.title ?? '',
    m.description ?? '',
    m.siteName ?? '',
    m.section ?? '',
    ...m.authors,
    ...m.tags,
  ];
}

// ---------------------------------------------------------------------------------------------
// Generators

const WORDS = [
  'council', 'budget', 'harbour', 'storm', 'minister', 'said', 'on', 'Monday', 'the', 'a', 'of', 'new',
  'school', 'trains', 'river', 'flood', 'voted', 'plan', 'after', 'years', 'café', 'naïve', 'Zürich',
  'Ελλάδα', '東京', 'Москва', '2025', '4.1m', '£3', '—', '"quoted"', "it's", 'well-known', '(Reuters)', '-', ',', '.',
];
/** Sentences of the real HTML fixtures, so the extractor finds prose to keep. */
const HTML_FIXTURES = readdirSync(path.join(repo, 'test/fixtures/html')).map((n) => readFileSync(path.join(repo, 'test/fixtures/html', n), 'utf8'));
const SAMPLE_HTML = ['article.html'].map((n) => readFileSync(path.join(repo, 'samples', n), 'utf8'));
const SENTENCES = [...HTML_FIXTURES, ...SAMPLE_HTML]
  .flatMap((html) => load(html)('p').toArray().map((p) => load(p).text().trim()))
  .filter((s) => s.length > 40 && !/[<&]/.test(s));

const sentence = fc.oneof(
  { weight: 2, arbitrary: fc.constantFrom(...SENTENCES) },
  { weight: 1, arbitrary: fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 30 }).map((w) => w.join(' ')) },
);
/** Entities that decode to text without angle brackets (so "no tag in the output" stays a fair claim). */
const safeEntity = fc.constantFrom('&amp;', '&nbsp;', '&#8217;', '&#x2014;', '&eacute;', '&quot;', '&copy', '&bogus;', '&#xZZ;', '&#0;', '&#xD800;', '&#99999999;', '&');
const marker = (kind: string) => fc.nat({ max: 1e9 }).map((n) => `zq${kind}${n.toString(36)}x`);

const TAGS = [
  'div', 'p', 'span', 'article', 'section', 'main', 'nav', 'header', 'footer', 'aside', 'ul', 'ol', 'li', 'h1', 'h2', 'h3',
  'blockquote', 'figure', 'figcaption', 'table', 'tr', 'td', 'th', 'a', 'b', 'i', 'em', 'strong', 'time', 'pre', 'code',
  'noscript', 'form', 'button', 'svg', 'label', 'small', 'dl', 'dt', 'dd',
];
const VOID = ['img', 'br', 'hr', 'meta', 'link', 'input', 'source', 'wbr'];
const CLASS_WORDS = ['article', 'content', 'story-body', 'byline', 'share', 'related', 'ad-slot', 'newsletter', 'comments', 'caption', 'credit', 'post', 'entry-content', 'menu', 'cookie'];
const attrName = fc.constantFrom('class', 'id', 'href', 'src', 'alt', 'itemprop', 'role', 'data-x', 'style', 'title', 'datetime', 'rel', 'lang', 'hidden', 'aria-hidden');
/** Attribute values: template words, prose, or huge (up to 60,000 characters); never quotes or angle brackets. */
const attrValue = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...CLASS_WORDS, 'articleBody', 'main', 'author', 'display:none', 'https://example.com/a?b=1&c=2', '2025-06-09T08:00:00Z') },
  { weight: 2, arbitrary: sentence },
  { weight: 1, arbitrary: fc.tuple(fc.string({ unit: 'grapheme-ascii', maxLength: 12 }), fc.integer({ min: 100, max: 5000 })).map(([s, n]) => s.replace(/["'<>&]/g, 'y').repeat(n).slice(0, 60_000)) },
);
const attrs = fc.array(fc.tuple(attrName, attrValue), { maxLength: 3 }).map((list) => list.map(([n, v]) => ` ${n}="${v}"`).join(''));

const script = fc.tuple(fc.constantFrom('', ' type="text/javascript"', ' type="module"', ' async'), marker('script'), sentence).map(
  ([type, m, s]) => `<script${type}>var ${m} = "<p>${s}</p>"; if (a < b && c > d) { document.write('<div>${m}</div>'); }</script>`,
);
const style = fc.tuple(marker('style'), fc.constantFrom('p', 'div', '.article', 'body')).map(([m, sel]) => `<style>${sel} { content: "${m}"; } /* <p>${m}</p> */</style>`);
const comment = fc.tuple(marker('comment'), sentence).map(([m, s]) => `<!-- ${m} <p>${s}</p> -->`);
/** JSON-LD may legitimately feed the metadata, so its markers are not forbidden. */
const jsonLd = fc
  .record({ headline: sentence, articleBody: sentence, datePublished: fc.constantFrom('2025-06-09T08:00:00Z', 'yesterday', '', '0000-00-00', '2025-13-45', '+275760-09-13T00:00:00.000Z') })
  .chain((ld) => fc.constantFrom(JSON.stringify({ '@type': 'NewsArticle', ...ld }), JSON.stringify([{ '@graph': [{ '@type': 'Article', ...ld }] }]), '{"@type": "NewsArticle", "headline": ', 'null', '[]'))
  .map((json) => `<script type="application/ld+json">${json}</script>`);
/** Markup broken in ways that cannot turn a later <script> into text (see the raw-text generator for the rest). */
const broken = fc.constantFrom('</p>', '</div></div></div>', '</span>', '< div>', '<3', 'a <> b', '</>', '<!---->', '<p><p><p>', '<li><li>', '<td>', '<table><tr>', '<br/>', '</br>', '<img>', '<a href=x>', '<b><i>', '</i></b>');
const text = fc.oneof(sentence, safeEntity, fc.array(fc.oneof(sentence, safeEntity), { maxLength: 4 }).map((xs) => xs.join(' ')));

const { node } = fc.letrec<{ node: string; element: string }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { weight: 5, arbitrary: text },
    { weight: 4, arbitrary: tie('element') },
    { weight: 1, arbitrary: script },
    { weight: 1, arbitrary: style },
    { weight: 1, arbitrary: comment },
    { weight: 1, arbitrary: broken },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...VOID), attrs).map(([t, a]) => `<${t}${a}>`) },
  ),
  element: fc
    .tuple(fc.constantFrom(...TAGS), attrs, fc.array(tie('node'), { maxLength: 5 }), fc.boolean())
    .map(([tag, a, children, closed]) => `<${tag}${a}>${children.join('')}${closed ? `</${tag}>` : ''}`),
}));

/** Deep nesting, up to the intake's limit (2000) and past the extractor's flattening depth (400). */
const deep = fc
  .tuple(fc.constantFrom('div', 'span', 'section', 'b', 'li', 'blockquote'), fc.integer({ min: 300, max: 2000 }), fc.boolean(), node, script)
  .map(([tag, depth, closed, inner, s]) => `<${tag}>`.repeat(depth) + inner + s + (closed ? `</${tag}>`.repeat(depth) : ''));

const head = fc
  .tuple(
    fc.option(sentence, { nil: undefined }),
    fc.array(fc.tuple(fc.constantFrom('og:title', 'og:site_name', 'description', 'article:published_time', 'author', 'keywords', 'article:tag', 'og:image'), sentence), { maxLength: 4 }),
    fc.array(fc.oneof(script, style, jsonLd), { maxLength: 3 }),
  )
  .map(([title, metas, scripts]) => {
    const t = title === undefined ? '' : `<title>${title}</title>`;
    const m = metas.map(([k, v]) => `<meta ${k.includes(':') ? 'property' : 'name'}="${k}" content="${v}">`).join('');
    return `<head><meta charset="utf-8">${t}${m}${scripts.join('')}</head>`;
  });

/** A page: head, then random body content; sometimes without <html>/<body>, sometimes cut short. */
const structuredPage = fc
  .tuple(head, fc.array(fc.oneof({ weight: 4, arbitrary: node }, { weight: 1, arbitrary: deep }), { minLength: 1, maxLength: 8 }), fc.constantFrom('full', 'bare', 'cut'), fc.double({ min: 0.5, max: 1, noNaN: true }))
  .map(([h, body, shape, keep]) => {
    if (shape === 'bare') return body.join('');
    const page = `<!doctype html><html lang="en">${h}<body>${body.join('')}</body></html>`;
    return shape === 'full' ? page : page.slice(0, Math.floor(page.length * keep));
  })
  .filter((page) => page.length < 400_000);

/** A page with an article in it (paragraphs of real sentences) among random markup. */
const articlePage = fc
  .tuple(head, fc.array(node, { maxLength: 3 }), fc.array(fc.array(sentence, { minLength: 2, maxLength: 4 }), { minLength: 2, maxLength: 6 }), fc.array(node, { maxLength: 3 }))
  .map(([h, before, paragraphs, after]) => `<!doctype html><html>${h}<body>${before.join('')}<article>${paragraphs.map((p) => `<p>${p.join(' ')}</p>`).join('\n')}</article>${after.join('')}</body></html>`);

// ---------------------------------------------------------------------------------------------
// Ground truth, from the same parser the extractor uses

interface Truth {
  /** Markers that sit only inside script/style elements or comments: they must never show. */
  hidden: string[];
  /** The page's text as rendered: text nodes in order, a space where a block element or <br> ends a line. */
  rendered: string;
  /** Where metadata may come from besides the text: attribute values (meta content, alt) and JSON-LD, apart. */
  attributes: string;
}

function truth(html: string): Truth {
  const $ = load(html);
  const hiddenText: string[] = [];
  const shownText: string[] = [];
  const rendered: string[] = [];
  const attributes: string[] = [];
  // null: the end of a block element.
  const stack: (AnyNode | null)[] = [$.root()[0]!];
  while (stack.length) {
    const n = stack.pop()!;
    if (n === null) rendered.push(' ');
    else if (n.type === 'comment') hiddenText.push(n.data);
    else if (n.type === 'text') {
      shownText.push(n.data);
      rendered.push(n.data);
    } else if ('children' in n) {
      if ('attribs' in n) shownText.push(...Object.values(n.attribs));
      if ('attribs' in n) attributes.push(...Object.values(n.attribs));
      const ldJson = 'attribs' in n && n.attribs.type?.toLowerCase() === 'application/ld+json';
      if (ldJson) attributes.push(...n.children.map((c) => ('data' in c ? c.data : '')));
      if ((n.type === 'script' || n.type === 'style') && !ldJson) {
        hiddenText.push(n.children.map((c) => ('data' in c ? c.data : '')).join(''));
        continue;
      }
      if ('name' in n && (n.name === 'br' || BLOCK_TAGS.has(n.name))) {
        rendered.push(' ');
        stack.push(null);
      }
      for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]!);
    }
  }
  const markers = (texts: string[]) => new Set(texts.join(' ').match(/zq(?:script|style|comment)[0-9a-z]+x/g) ?? []);
  const shown = markers(shownText);
  return {
    hidden: [...markers(hiddenText)].filter((m) => !shown.has(m)),
    rendered: rendered.join('').normalize('NFC').replace(/[\s\u00a0\u200b]+/g, ' '),
    attributes: attributes.join(' ').normalize('NFC'),
  };
}

/** Words: runs of letters, marks and digits. */
const wordsOf = (s: string) => s.normalize('NFC').match(/[\p{L}\p{M}\p{N}]+/gu) ?? [];

const TAG_IN_TEXT = /<\/?[a-z][a-z0-9-]*(?:\s[^<>]*)?\/?>|<!--|<script|<style/i;

// ---------------------------------------------------------------------------------------------

describe('HTML cleaner under fuzzing', () => {
  it('arbitrary strings and random tag soup: a valid CleanDoc or a typed error, nothing else', () => {
    const soupPiece = fc.oneof(
      fc.string({ maxLength: 40 }),
      fc.string({ unit: 'binary', maxLength: 20 }),
      fc.constantFrom('<', '>', '</', '<!--', '-->', '<![CDATA[', ']]>', '<?xml?>', '<!DOCTYPE html>', '<html>', '<body>', '</body>', '<head>', '<p class="', "'", '"', '&', '&lt;script&gt;', '<title>', '<textarea>', '<plaintext>', '<xmp>', '<iframe>', '<noscript>', '<template>', '<svg><style>', '<math>', '<table><td>', '<select><option>', '<frameset>', '\u0000', '\ufeff', '\ud800'),
      node,
    );
    const soup = fc.array(soupPiece, { maxLength: 60 }).map((xs) => xs.join(''));
    fuzz(soup, 500, 25_000, (html) => {
      cleanOrTyped(record('html', html));
    });
  });

  it('structured pages: nothing from scripts, styles or comments in the text, no tags left, every word from the page', () => {
    let kept = 0;
    let hiddenChecked = 0;
    fuzz(fc.oneof(structuredPage, articlePage), 250, 25_000, (html) => {
      const doc = cleanOrTyped(record('html', html));
      if (!doc) return;
      const t = truth(html);
      const shown = visibleStrings(doc);
      const all = shown.join('\n');
      for (const m of t.hidden) expect(all, `hidden marker ${m} leaked`).not.toContain(m);
      hiddenChecked += t.hidden.length;
      for (const s of shown) expect(s, 'a tag left in the text').not.toMatch(TAG_IN_TEXT);
      for (const block of doc.blocks) {
        expect(block.text.trim(), `empty ${block.type} block`).not.toBe('');
        // Inline markup may join text ("<b>re</b>build"), a block boundary never may.
        for (const word of wordsOf(block.text)) expect(t.rendered, `word "${word}" is not in the page`).toContain(word);
      }
      // Captions and metadata: words of the text, of an attribute (meta content, alt) or of JSON-LD.
      const m = doc.meta;
      for (const text of [...doc.captions.flatMap((c) => [c.text, c.credit ?? '']), m.title ?? '', m.description ?? '', m.siteName ?? '', m.section ?? '', ...m.authors, ...m.tags]) {
        for (const word of wordsOf(text)) expect(t.rendered.includes(word) || t.attributes.includes(word), `word "${word}" is not in the page`).toBe(true);
      }
      if (doc.blocks.length) kept++;
    });
    // The generator must exercise the extractor, not only its "no main content" exit.
    expect(kept).toBeGreaterThan(50);
    expect(hiddenChecked).toBeGreaterThan(200);
  });

  it('real pages with scripts, styles and comments spliced in anywhere, cut short, bytes overwritten', () => {
    const pages = [...HTML_FIXTURES, ...SAMPLE_HTML];
    const edit = fc.tuple(fc.nat(), fc.oneof(fc.constantFrom('<', '>', '"', '&', '/', '\u0000', '<script>', '<!--', ' '), script, style, comment));
    const mangled = fc
      .tuple(fc.constantFrom(...pages), fc.double({ min: 0.2, max: 1, noNaN: true }), fc.array(edit, { maxLength: 6 }))
      .map(([page, keep, edits]) => {
        let s = page.slice(0, Math.floor(page.length * keep));
        // One character overwritten, or a fragment spliced in (maybe inside a tag or an attribute).
        for (const [at, c] of edits) if (s.length) s = s.slice(0, at % s.length) + c + s.slice((at % s.length) + (c.length === 1 ? 1 : 0));
        return s;
      });
    let checked = 0;
    fuzz(mangled, 300, 20_000, (html) => {
      const doc = cleanOrTyped(record('html', html));
      if (!doc) return;
      const { hidden } = truth(html);
      const shown = visibleStrings(doc).join('\n');
      for (const m of hidden) expect(shown, `hidden marker ${m} leaked`).not.toContain(m);
      checked += hidden.length;
    });
    expect(checked, 'markers that ended up inside scripts, styles and comments').toBeGreaterThan(200);
  });

  it('the extractor keeps what it keeps: its own output, as a page, comes back unchanged', () => {
    const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    let compared = 0;
    fuzz(fc.oneof(articlePage, structuredPage), 150, 20_000, (html) => {
      const doc = cleanOrTyped(record('html', html));
      const paragraphs = doc?.blocks.filter((b) => b.type === 'paragraph').map((b) => b.text) ?? [];
      const prose = paragraphs.filter((p) => p.split(' ').length >= 12);
      if (prose.length < 2) return;
      const page = `<html><body><article>${prose.map((p) => `<p>${escape(p)}</p>`).join('\n')}</article></body></html>`;
      const again = cleanOrTyped(record('html', page));
      expect(again?.blocks.map((b) => b.text)).toEqual(prose);
      compared++;
    });
    expect(compared).toBeGreaterThan(50);
  });
});


describe('words on either side of a block element stay apart (cases the fuzzing above found)', () => {
  const para = (day: string) =>
    `<p>Councillors in the harbour town voted on ${day} night to rebuild the crumbling sea wall, approving a four-year plan after winter storms breached the old structure twice.</p>`;

  it('a cut block between two runs of text (an ad slot, a share bar, a hidden div)', () => {
    for (const cutBlock of ['<div class="ad-slot">Advertisement</div>', '<div class="share">Share this</div>', '<nav>Home News</nav>', '<div hidden></div>']) {
      const doc = cleanOrTyped(record('html', `<html><body><div><div>The council met on Monday${cutBlock}Viele Leserinnen und Leser haben mir geschrieben, dass ihr Sauerteig im Alltag umkippt, weil keine Zeit bleibt.</div></div></body></html>`));
      expect(doc?.blocks.map((b) => b.text).join('\n'), cutBlock).toMatch(/^The council met on Monday Viele Leserinnen/);
    }
  });

  it('markup nested past the flattening depth (400), inside and around the flattened part', () => {
    const viele = 'Viele Leserinnen und Leser haben mir geschrieben, dass ihr Sauerteig im Alltag umkippt, weil keine Zeit bleibt.';
    for (const html of [`<html><body>council${'<b>'.repeat(420)}<div>${viele}</div></body></html>`, `<html><body>${'<div>'.repeat(420)}council<div>${viele}</div></body></html>`]) {
      const text = cleanOrTyped(record('html', html))?.blocks.map((b) => b.text).join('\n');
      expect(text).toContain('council Viele');
    }
  });

  it('a block element inside a heading, a caption or a table cell', () => {
    const doc = cleanOrTyped(
      record(
        'html',
        `<html><body><article><h1>Sea wall vote<div>Live</div></h1>${para('Monday')}${para('Tuesday')}
        <figure><img src="a.jpg"><figcaption>Waves break over the old wall<div>in January</div></figcaption></figure>
        <table><tr><th>Phase</th><th>Cost</th></tr><tr><td>Eastern<ul><li>quay</li></ul></td><td>£4.1m</td></tr><tr><td>Western quay</td><td>£3.2m</td></tr></table>
        ${para('Friday')}</article></body></html>`,
      ),
    )!;
    expect(doc.meta.title).toBe('Sea wall vote Live');
    expect(doc.captions.map((c) => c.text)).toEqual(['Waves break over the old wall in January']);
    expect(doc.blocks.find((b) => b.type === 'table')?.text).toBe('Phase | Cost\nEastern quay | £4.1m\nWestern quay | £3.2m');
  });
});
