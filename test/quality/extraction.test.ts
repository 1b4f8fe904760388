/**
 * Quality gate: main-text extraction F1 on ../shared/bench/extraction/dev (metric of
 * ../shared/bench/README.md) must not drop below the floor kept in test/quality/floors.json.
 * Skips, saying so, when the benchmark folder is absent.
 */
import { describe, expect, it } from 'vitest';
import { extractHtml } from '../../src/clean/html/index.js';
import { aggregate, scorePage } from '../bench/lib/extraction-metric.js';
import { EXTRACTION_DEV_DIR, loadExtractionDev } from '../bench/lib/extraction-data.js';
import { floor as floorOf } from './floors.js';

const FLOOR_KEY = 'extraction.html.dev.f1';
const pages = loadExtractionDev();

describe('extraction quality gate', () => {
  it.skipIf(!pages)(`HTML extraction F1 on the dev pages stays above the floor (data: ${EXTRACTION_DEV_DIR})`, () => {
    const floor = floorOf(FLOOR_KEY);
    const scores = pages!.map((p) => scorePage(p.truth, extractHtml(p.html).blocks.map((b) => b.text).join('\n\n')));
    const m = aggregate(scores);
    console.log(`extraction dev: F1 ${m.f1.toFixed(4)} P ${m.precision.toFixed(4)} R ${m.recall.toFixed(4)} over ${m.pages} pages (floor ${floor})`);
    expect(m.pages).toBeGreaterThan(0);
    expect(m.f1).toBeGreaterThanOrEqual(floor);
  });

  it.skipIf(!!pages)('is skipped: benchmark data folder missing', () => {
    console.warn(`extraction quality gate SKIPPED: no benchmark data at ${EXTRACTION_DEV_DIR}`);
  });
});
