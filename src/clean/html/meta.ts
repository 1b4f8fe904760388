/**
 * Page metadata from <meta> tags, JSON-LD and the markup: title (site suffix stripped),
 * authors, dates (ISO 8601), site name, canonical URL, language, description, section, tags,
 * lead image. Also returns JSON-LD `articleBody`, which the extractor uses as evidence only.
 * Input: the loaded document, before chrome removal. Output: PageMeta (+ articleBody).
 * Errors: none; malformed JSON-LD is ignored.
 */
import type { PageMeta } from '../../schema/pipeline.js';
import { normalizeSpace, textOf } from './dom.js';
import type { Landmarks } from './landmarks.js';
import { compiledRules as R, htmlRules } from './rules.js';

const SOURCES = htmlRules.metaSources;

type Json = Record<string, unknown>;
const ARTICLE_TYPE = /Article|BlogPosting|Report|NewsArticle|WebPage|Posting/;

export interface PageMetaResult {
  meta: PageMeta;
  articleBody?: string;
}

function metaTags(metas: Landmarks['metas']): Map<string, string[]> {
  const tags = new Map<string, string[]>();
  for (const el of metas) {
    const key = (el.attribs.property ?? el.attribs.name ?? el.attribs.itemprop ?? '').toLowerCase();
    const content = el.attribs.content;
    if (!key || !content) continue;
    const list = tags.get(key) ?? [];
    list.push(normalizeSpace(content));
    tags.set(key, list);
  }
  return tags;
}

function scriptText(el: Landmarks['jsonLd'][number]): string {
  return el.children.map((c) => ('data' in c ? c.data : '')).join('');
}

function jsonLdObjects(scripts: Landmarks['jsonLd']): Json[] {
  const out: Json[] = [];
  const collect = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(collect);
    else if (v && typeof v === 'object') {
      const o = v as Json;
      out.push(o);
      if (o['@graph']) collect(o['@graph']);
    }
  };
  for (const el of scripts) {
    try {
      // Raw line breaks inside JSON strings are common in the wild and harmless once flattened.
      collect(JSON.parse(scriptText(el).replace(/[\u0000-\u001f]+/g, ' ')));
    } catch {
      // A broken JSON-LD block is the page's problem; the other sources still count.
    }
  }
  return out;
}

function str(v: unknown): string | undefined {
  if (typeof v === 'string') return normalizeSpace(v) || undefined;
  if (Array.isArray(v)) return str(v[0]);
  if (v && typeof v === 'object') {
    const o = v as Json;
    return str(o.name ?? o.url ?? o['@value']);
  }
  return undefined;
}

function names(v: unknown): string[] {
  if (Array.isArray(v)) return v.flatMap(names);
  const s = str(v);
  return s ? [s] : [];
}

export function toIso(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const t = Date.parse(value.trim());
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}

/** "Headline | Site", "Headline - Site", "Site: Headline" → "Headline" when the other part is the site. */
export function stripSiteSuffix(title: string, siteName: string | undefined): string {
  const parts = title.split(/\s+[|–—·•»-]\s+/);
  if (parts.length < 2) return title;
  const site = siteName?.toLowerCase();
  const last = parts[parts.length - 1]!;
  if ((site && last.toLowerCase().includes(site)) || last.split(' ').length <= htmlRules.titleSuffixMaxWords) {
    return parts.slice(0, -1).join(' - ').trim() || title;
  }
  const first = parts[0]!;
  if (site && first.toLowerCase().includes(site)) return parts.slice(1).join(' - ').trim() || title;
  return title;
}

function isUrl(s: string): boolean {
  return /^https?:\/\//i.test(s);
}

function unique(xs: string[]): string[] {
  return [...new Set(xs.map((x) => x.trim()).filter(Boolean))];
}

export function extractMeta(page: Landmarks): PageMetaResult {
  const tags = metaTags(page.metas);
  const first = (keys: string[]): string | undefined => {
    for (const k of keys) {
      const v = tags.get(k)?.[0];
      if (v) return v;
    }
    return undefined;
  };
  const all = (keys: string[]): string[] => keys.flatMap((k) => tags.get(k) ?? []);
  const ld = jsonLdObjects(page.jsonLd);
  const article = ld.find((o) => ARTICLE_TYPE.test(String(o['@type'] ?? '')) && (o.headline || o.articleBody)) ?? ld.find((o) => o.headline);
  const org = ld.find((o) => /Organization|WebSite/.test(String(o['@type'] ?? '')));

  const siteName = first(SOURCES.siteName) ?? str((article?.publisher as Json | undefined)?.name) ?? str(org?.name);
  const h1 = page.firstH1 ? textOf(page.firstH1) : '';
  const rawTitle = first(SOURCES.title) ?? str(article?.headline) ?? (h1 || (page.title ? textOf(page.title) : ''));
  let authors = unique([...names(article?.author), ...all(SOURCES.authors).filter((a) => !isUrl(a))]);
  if (authors.length === 0) authors = unique(page.authors.map((el) => textOf(el).replace(R.bylinePrefix, '')).filter((a) => a.length <= 80));
  const metaTagsList = all(SOURCES.tags).flatMap((k) => k.split(','));
  const ldKeywords = typeof article?.keywords === 'string' ? article.keywords.split(',') : names(article?.keywords);
  const lang = page.html?.attribs.lang ?? first(SOURCES.language);

  const meta: PageMeta = { authors, tags: unique([...metaTagsList, ...ldKeywords]) };
  const title = rawTitle ? stripSiteSuffix(rawTitle, siteName) : undefined;
  if (title) meta.title = title;
  const published = toIso(first(SOURCES.publishedAt) ?? str(article?.datePublished) ?? page.firstTime?.attribs.datetime);
  if (published) meta.publishedAt = published;
  const modified = toIso(first(SOURCES.modifiedAt) ?? str(article?.dateModified));
  if (modified) meta.modifiedAt = modified;
  if (siteName) meta.siteName = siteName;
  const canonical = page.canonical?.attribs.href ?? first(['og:url']);
  if (canonical) meta.canonicalUrl = canonical;
  if (lang) meta.language = lang.split(/[-_]/)[0]!.toLowerCase();
  const description = first(SOURCES.description) ?? str(article?.description);
  if (description) meta.description = description;
  const section = first(SOURCES.section) ?? str(article?.articleSection);
  if (section) meta.section = section;
  const image = first(SOURCES.leadImage) ?? str(article?.image);
  if (image) meta.leadImage = image;

  const result: PageMetaResult = { meta };
  if (typeof article?.articleBody === 'string' && article.articleBody.length > 0) result.articleBody = article.articleBody;
  return result;
}
