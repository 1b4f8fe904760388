/**
 * Quality gate for the text-dump cleaner: the dev pages of ../shared/bench/extraction,
 * flattened to text dumps the way a scraper writes them, through cleanText(); the main
 * article's F1 (metric of ../shared/bench/README.md) must stay above the floor kept in
 * dump-floor.json. Skips, saying so, when the benchmark folder is absent.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { cleanText } from '../../../src/clean/text/index.js';
import type { Block } from '../../../src/schema/pipeline.js';
import { aggregate, scorePage } from '../../bench/lib/extraction-metric.js';
import { EXTRACTION_DEV_DIR, loadExtractionDev } from '../../bench/lib/extraction-data.js';
import { htmlToTextDump } from '../../bench/lib/text-dump.js';

const FLOOR_KEY = 'extraction.textDump.dev.f1';
const floors = z
  .record(z.string(), z.number().min(0).max(1))
  .parse(JSON.parse(readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), 'dump-floor.json'), 'utf8')));
const pages = loadExtractionDev();

/** The dump's main article: the blocks before the first section marker (related list, comments, footer). */
const mainText = (blocks: Block[]) => {
  const end = blocks.findIndex((b) => b.type === 'section');
  return (end < 0 ? blocks : blocks.slice(0, end)).map((b) => b.text).join('\n\n');
};

describe('text-dump quality gate', () => {
  it.skipIf(!pages)(`text-dump F1 on the dev pages stays above the floor (data: ${EXTRACTION_DEV_DIR})`, () => {
    const floor = floors[FLOOR_KEY]!;
    const scores = pages!.map((p) => scorePage(p.truth, mainText(cleanText(htmlToTextDump(p.html)).blocks)));
    const m = aggregate(scores);
    console.log(`text dumps: F1 ${m.f1.toFixed(4)} P ${m.precision.toFixed(4)} R ${m.recall.toFixed(4)} over ${m.pages} pages (floor ${floor})`);
    expect(m.pages).toBeGreaterThan(0);
    expect(m.f1).toBeGreaterThanOrEqual(floor);
  });
});
