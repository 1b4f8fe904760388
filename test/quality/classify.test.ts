/**
 * Quality gate: top IPTC topic on ../shared/bench/classify/bbc-test.jsonl (accuracy and
 * macro-F1 through the README's label map) with the shipped default model, which never saw
 * BBC text, and with a model trained on bbc-train as `copydesk train` does; neither may drop
 * below the floors in floors.json. Skips, saying so, when the benchmark folder is absent.
 */
import { describe, expect, it } from 'vitest';
import { loadModel, serializeModel, trainFromJsonl } from '../../src/classify/index.js';
import { CLASSIFY_DIR, classifyDataPresent, readRows, scoreTopics, type Row } from '../bench/lib/classify-data.js';
import { floor } from './floors.js';

const present = classifyDataPresent();
const testRows = (): Row[] => readRows('bbc-test.jsonl').map((l) => JSON.parse(l) as Row);

describe('classify quality gate', () => {
  it.skipIf(!present)(`the shipped model scores above the floors on bbc-test (data: ${CLASSIFY_DIR})`, () => {
    const s = scoreTopics(testRows(), undefined);
    console.log(`classify default model: accuracy ${s.accuracy.toFixed(4)} macro-F1 ${s.macroF1.toFixed(4)}`);
    expect(s.accuracy).toBeGreaterThanOrEqual(floor('classify.bbc-test.default.accuracy'));
    expect(s.macroF1).toBeGreaterThanOrEqual(floor('classify.bbc-test.default.macro-f1'));
  });

  it.skipIf(!present)('a model trained on bbc-train, saved and reloaded, scores above its floor', () => {
    const model = loadModel(serializeModel(trainFromJsonl(readRows('bbc-train.jsonl').join('\n'))));
    const s = scoreTopics(testRows(), model);
    console.log(`classify trained model: accuracy ${s.accuracy.toFixed(4)} macro-F1 ${s.macroF1.toFixed(4)}`);
    expect(s.accuracy).toBeGreaterThanOrEqual(floor('classify.bbc-test.trained.accuracy'));
    expect(s.macroF1).toBeGreaterThanOrEqual(floor('classify.bbc-test.trained.macro-f1'));
  });

  it.skipIf(present)('is skipped: benchmark data folder missing', () => {
    console.warn(`classify quality gate SKIPPED: no benchmark data at ${CLASSIFY_DIR}`);
  });
});
