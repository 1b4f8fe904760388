/** Golden checks on the project's shared HTML samples (samples/), skipped when a sample is absent. */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { extractHtml } from '../../../src/clean/html/index.js';

const sample = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../samples/article.html');

describe('extractHtml on samples/article.html', () => {
  it.skipIf(!existsSync(sample))('keeps the three paragraphs, the caption apart, and no chrome', () => {
    const r = extractHtml(readFileSync(sample, 'utf8'));
    const body = r.blocks.map((b) => b.text).join('\n');
    for (const phrase of ['began a six-month trial of two hydrogen-powered tugboats', 'replace a third of the fleet by 2030', 'Each tug carries 400 kilograms']) {
      expect(body).toContain(phrase);
    }
    for (const chrome of ['Sign up for our newsletter', 'All rights reserved', 'Shipping', 'By Marieke de Vries', 'Waterstof I']) {
      expect(body).not.toContain(chrome);
    }
    expect(r.captions[0]?.text).toContain('Waterstof I');
    expect(r.meta.title).toBe('Port of Rotterdam trials hydrogen-powered tugboats');
    expect(r.meta.authors).toEqual(['Marieke de Vries']);
  });
});
