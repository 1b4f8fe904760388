/**
 * Rebuilds the shipped default topic model, src/classify/data/default-model.json, from
 * synthetic text sampled from the IPTC lexicon (src/classify/synthetic.ts): no research-only
 * corpus goes into shipped weights. Run after editing the lexicon:
 *   npx tsx test/bench/classify-default-model.ts
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { serializeModel, trainModel } from '../../src/classify/index.js';
import { LEXICON } from '../../src/classify/rules.js';
import { lexiconCorpus } from '../../src/classify/synthetic.js';

export const DEFAULT_MODEL_RECIPE = {
  corpus: { docsPerTopic: 300, termsPerDoc: 40, noise: 0.3, seed: 11 },
  train: { epochs: 8, minDf: 10, lexiconWeight: 0.75, seed: 7 },
} as const;

const started = Date.now();
const examples = lexiconCorpus(LEXICON, DEFAULT_MODEL_RECIPE.corpus);
const model = trainModel(examples, {
  ...DEFAULT_MODEL_RECIPE.train,
  description: `synthetic text sampled from the IPTC lexicon (${JSON.stringify(DEFAULT_MODEL_RECIPE.corpus)})`,
  now: () => new Date('2026-01-01T00:00:00Z'),
});
const out = fileURLToPath(new URL('../../src/classify/data/default-model.json', import.meta.url));
writeFileSync(out, `${serializeModel(model)}\n`);
console.log(`default model: ${examples.length} synthetic docs, ${model.vocabulary.length} features, ${model.classes.length} classes, ${((Date.now() - started) / 1000).toFixed(1)} s → ${out}`);
