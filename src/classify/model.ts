/**
 * The trainable topic model: TF-IDF features (unigrams + bigrams, sublinear tf, L2-normalized)
 * into a multinomial logistic regression. Input: serialized JSON (`loadModel`) or a trained
 * model. Output: class probabilities with per-term contributions (`predictModel`), or JSON
 * (`serializeModel`). Errors: `loadModel` throws E_MODEL on a malformed or inconsistent file.
 */
import { z } from 'zod';
import { badInput, ERROR_CODES } from '../errors.js';

export const MODEL_FORMAT = 'copydesk-topic-model';

export const TopicModelSchema = z
  .object({
    format: z.literal(MODEL_FORMAT),
    version: z.literal(1),
    /** IPTC codes, one per output class. */
    classes: z.array(z.string().regex(/^medtop:\d{8}$/)).min(2),
    vocabulary: z.array(z.string()),
    idf: z.array(z.number()),
    /** weights[class][feature]. */
    weights: z.array(z.array(z.number())),
    bias: z.array(z.number()),
    /** Share of the final topic score given to the lexicon (the rest to this model). */
    lexiconWeight: z.number().min(0).max(1),
    trainedOn: z.object({ description: z.string(), examples: z.number().int().nonnegative(), createdAt: z.string() }),
  })
  .refine((m) => m.idf.length === m.vocabulary.length, 'idf length must match the vocabulary')
  .refine((m) => m.weights.length === m.classes.length && m.bias.length === m.classes.length, 'one weight row and bias per class')
  .refine((m) => m.weights.every((row) => row.length === m.vocabulary.length), 'weight rows must match the vocabulary');
export type TopicModel = z.infer<typeof TopicModelSchema>;

/** A model ready to score: the vocabulary as a map and weights in one flat array (feature-major). */
export interface CompiledModel {
  source: TopicModel;
  index: ReadonlyMap<string, number>;
  idf: Float64Array;
  /** weights[feature * classes + class]: one feature's weights are adjacent, so a document touches few cache lines. */
  weights: Float64Array;
  bias: Float64Array;
}

export function compileModel(model: TopicModel): CompiledModel {
  const k = model.classes.length;
  const weights = new Float64Array(model.vocabulary.length * k);
  model.weights.forEach((row, c) => row.forEach((w, f) => (weights[f * k + c] = w)));
  return {
    source: model,
    index: new Map(model.vocabulary.map((term, i) => [term, i])),
    idf: Float64Array.from(model.idf),
    weights,
    bias: Float64Array.from(model.bias),
  };
}

export function loadModel(json: string | unknown): CompiledModel {
  let data: unknown = json;
  if (typeof json === 'string') {
    try {
      data = JSON.parse(json);
    } catch (err) {
      throw badInput(ERROR_CODES.MODEL, `topic model is not JSON: ${(err as Error).message}`);
    }
  }
  const parsed = TopicModelSchema.safeParse(data);
  if (!parsed.success) throw badInput(ERROR_CODES.MODEL, `topic model is invalid: ${z.prettifyError(parsed.error)}`);
  return compileModel(parsed.data);
}

/** Weights rounded to 5 significant digits: the file stays small and diffs stay readable. */
export function serializeModel(model: TopicModel | CompiledModel): string {
  const m = 'source' in model ? model.source : model;
  const round = (x: number) => Number(x.toPrecision(5));
  return JSON.stringify({ ...m, idf: m.idf.map(round), weights: m.weights.map((r) => r.map(round)), bias: m.bias.map(round) });
}

/** Sparse TF-IDF vector of a document over the model's vocabulary, L2-normalized. */
export function vectorize(index: ReadonlyMap<string, number>, idf: Float64Array, counts: ReadonlyMap<string, number>): { ids: Int32Array; values: Float64Array } {
  const ids = new Int32Array(counts.size);
  const values = new Float64Array(counts.size);
  let known = 0;
  let norm = 0;
  for (const [feature, count] of counts) {
    const id = index.get(feature);
    if (id === undefined) continue;
    const v = (1 + Math.log(count)) * idf[id]!;
    ids[known] = id;
    values[known++] = v;
    norm += v * v;
  }
  const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  for (let j = 0; j < known; j++) values[j]! *= scale;
  return { ids: ids.subarray(0, known), values: values.subarray(0, known) };
}

export function softmaxInPlace(logits: Float64Array): Float64Array {
  let max = -Infinity;
  for (const x of logits) max = Math.max(max, x);
  let sum = 0;
  for (let i = 0; i < logits.length; i++) sum += logits[i] = Math.exp(logits[i]! - max);
  for (let i = 0; i < logits.length; i++) logits[i]! /= sum;
  return logits;
}

export interface ModelPrediction {
  probabilities: Float64Array;
  /** Per class: the features that pushed it up, with their contribution to the logit. */
  contributions(classIndex: number, limit: number): Array<[string, number]>;
}

export function predictModel(model: CompiledModel, counts: ReadonlyMap<string, number>): ModelPrediction {
  const k = model.bias.length;
  const { ids, values } = vectorize(model.index, model.idf, counts);
  const logits = Float64Array.from(model.bias);
  for (let j = 0; j < ids.length; j++) {
    const base = ids[j]! * k;
    const v = values[j]!;
    for (let c = 0; c < k; c++) logits[c]! += model.weights[base + c]! * v;
  }
  return {
    probabilities: softmaxInPlace(logits),
    contributions(classIndex, limit) {
      const out: Array<[string, number]> = [];
      for (let j = 0; j < ids.length; j++) {
        const w = model.weights[ids[j]! * k + classIndex]! * values[j]!;
        if (w > 0) out.push([model.source.vocabulary[ids[j]!]!, w]);
      }
      return out.sort((a, b) => b[1] - a[1]).slice(0, limit);
    },
  };
}
