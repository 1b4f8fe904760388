/** HTML main-content extraction (first level: paragraphs of the page). */
import * as cheerio from 'cheerio';
import type { Extracted } from '../types.js';

export function extractHtml(html: string): Extracted {
  const $ = cheerio.load(html);
  $('script, style, noscript, nav, header, footer, aside').remove();
  const title = $('meta[property="og:title"]').attr('content') ?? ($('h1').first().text().trim() || $('title').text().trim());
  const blocks = $('p, h2, h3, li')
    .toArray()
    .map((el) => $(el).text().replace(/\s+/g, ' ').trim())
    .filter(Boolean)
    .map((text) => ({ type: 'paragraph' as const, text }));
  return { meta: { title: title || undefined, authors: [], tags: [] }, blocks, captions: [], notes: [] };
}
