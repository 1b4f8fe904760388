/**
 * Topic classification benchmark on ../shared/bench/classify (BBC News, research use), scored
 * as its README defines: top topic through the label → IPTC map, accuracy and macro-F1.
 * Prints, on bbc-test: the shipped default model (trained on lexicon-derived text, never on
 * BBC), the lexicon alone, and a model trained on bbc-train with trainFromJsonl (what
 * `copydesk train` runs), plus training time and the throughput of the whole classify stage
 * (topics, language, places, names) in docs/s on one core.
 * BENCH_SMOKE=1: every 7th test doc, every 6th training doc.
 */
import { loadModel, serializeModel, trainFromJsonl, classify } from '../../src/classify/index.js';
import { CLASSIFY_DIR as DIR, classifyDataPresent, readRows, scoreTopics as score, toInput, type Row } from './lib/classify-data.js';

const smoke = Boolean(process.env.BENCH_SMOKE);

function report(name: string, s: { accuracy: number; macroF1: number }) {
  console.log(`${name.padEnd(44)} accuracy ${(s.accuracy * 100).toFixed(1)} %   macro-F1 ${s.macroF1.toFixed(3)}`);
}

if (!classifyDataPresent()) {
  console.log(`skipped: ${DIR} is absent (benchmark data is not shipped with the project)`);
  process.exit(0);
}

const testLines = readRows('bbc-test.jsonl');
const trainLines = readRows('bbc-train.jsonl');
const test: Row[] = testLines.map((l) => JSON.parse(l) as Row).filter((_, i) => !smoke || i % 7 === 0);
// The files are sorted by label: the smoke run takes every sixth line to keep all labels.
const trainText = (smoke ? trainLines.filter((_, i) => i % 6 === 0) : trainLines).join('\n');

console.log(`bbc-test: ${test.length} docs; bbc-train: ${trainText.split('\n').length} docs`);
report('shipped default (lexicon + lexicon-derived)', score(test, undefined));
report('lexicon alone', score(test, null));

let started = performance.now();
const trained = trainFromJsonl(trainText, { description: 'bbc-train (research use only)' });
const trainSeconds = (performance.now() - started) / 1000;
const json = serializeModel(trained);
const reloaded = loadModel(json);
report('trained on bbc-train (serialized + reloaded)', score(test, reloaded));
console.log(`training: ${trainSeconds.toFixed(2)} s, ${trained.vocabulary.length} features, model file ${(json.length / 1e6).toFixed(1)} MB`);

// Throughput of the whole stage with the shipped model, after a warm-up pass (JIT). CPU time is
// the per-core figure: on a shared machine wall time also counts other processes' turns.
const inputs = test.map((r) => toInput(r.text));
for (const input of inputs) classify(input);
const passes = smoke ? 1 : 5;
const wallStart = performance.now();
const cpuStart = process.cpuUsage();
let chars = 0;
for (let p = 0; p < passes; p++) {
  for (const input of inputs) {
    classify(input);
    chars += input.title.length + input.paragraphs.reduce((n, x) => n + x.length, 0);
  }
}
const cpu = process.cpuUsage(cpuStart);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
const wallSeconds = (performance.now() - wallStart) / 1000;
const docs = passes * inputs.length;
console.log(
  `throughput (classify stage: topics, language, places, names): ${(docs / cpuSeconds).toFixed(0)} docs per CPU-second ` +
    `(${(chars / docs / 1000).toFixed(1)} kB/doc), ${(docs / wallSeconds).toFixed(0)} docs/s wall clock`,
);
