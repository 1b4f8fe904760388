/**
 * What the pure stages need from the config, built the same way in the main thread, in CPU
 * threads (cpu-thread.ts) and in `copydesk process`: intake limits, the dedupe window and
 * the classifier.
 */
import { readFile } from 'node:fs/promises';
import type { Config } from '../src/config.js';
import { classify, loadModel, type ClassifyInput } from '../src/classify/index.js';
import type { Classification } from '../src/schema/pipeline.js';
import { CopydeskError, ERROR_CODES } from '../src/errors.js';
import { createStages, type Stages } from '../src/pipeline.js';
import { PIPELINE_VERSION } from '../src/version.js';
import { DAY_MS, type IndexWindowInput } from '../src/dedupe/window.js';

export function intakeLimits(config: Config) {
  return {
    maxFileBytes: config.maxFileBytes,
    maxDecompressedBytes: config.maxDecompressedBytes,
    maxRecordsPerFile: config.maxRecordsPerFile,
    maxArticleChars: config.maxArticleChars,
  };
}

/** The dedupe index's time window, for the Redis index and `copydesk process`'s in-memory one alike. */
export function dedupeWindow(config: Config): IndexWindowInput {
  return { windowMs: config.dedupeWindowDays * DAY_MS };
}

/** The classifier with the model from COPYDESK_MODEL, or the shipped default. Loaded once. */
export async function loadClassifier(config: Config): Promise<(input: ClassifyInput) => Classification> {
  if (!config.modelPath) return (input) => classify(input);
  let json: unknown;
  try {
    json = JSON.parse(await readFile(config.modelPath, 'utf8'));
  } catch (err) {
    throw new CopydeskError(ERROR_CODES.MODEL, `cannot read the model ${config.modelPath}: ${(err as Error).message}`);
  }
  const model = loadModel(json);
  return (input) => classify(input, model);
}

export async function buildStages(config: Config): Promise<Stages> {
  return createStages({ limits: intakeLimits(config), pipelineVersion: PIPELINE_VERSION, classifier: await loadClassifier(config) });
}
