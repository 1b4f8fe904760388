/**
 * Quality gate: main-text extraction F1 on ../shared/bench/extraction/dev (metric of
 * ../shared/bench/README.md) must not drop below the floor kept in test/quality/floors.json.
 * Skips, saying so, when the benchmark folder is absent.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { extractHtml } from '../../src/clean/html/index.js';
import { aggregate, scorePage } from '../bench/lib/extraction-metric.js';
import { EXTRACTION_DEV_DIR, loadExtractionDev } from '../bench/lib/extraction-data.js';

const FLOOR_KEY = 'extraction.html.dev.f1';
const floors = z
  .record(z.string(), z.number().min(0).max(1))
  .parse(JSON.parse(readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), 'floors.json'), 'utf8')));
const pages = loadExtractionDev();

describe('extraction quality gate', () => {
  it.skipIf(!pages)(`HTML extraction F1 on the dev pages stays above the floor (data: ${EXTRACTION_DEV_DIR})`, () => {
    const floor = floors[FLOOR_KEY];
    expect(floor, `floors.json has no "${FLOOR_KEY}"`).toBeTypeOf('number');
    const scores = pages!.map((p) => scorePage(p.truth, extractHtml(p.html).blocks.map((b) => b.text).join('\n\n')));
    const m = aggregate(scores);
    console.log(`extraction dev: F1 ${m.f1.toFixed(4)} P ${m.precision.toFixed(4)} R ${m.recall.toFixed(4)} over ${m.pages} pages (floor ${floor})`);
    expect(m.pages).toBeGreaterThan(0);
    expect(m.f1).toBeGreaterThanOrEqual(floor!);
  });

  it.skipIf(!!pages)('is skipped: benchmark data folder missing', () => {
    console.warn(`extraction quality gate SKIPPED: no benchmark data at ${EXTRACTION_DEV_DIR}`);
  });
});
