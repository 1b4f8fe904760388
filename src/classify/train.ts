/**
 * Training the topic model: multinomial logistic regression on TF-IDF features by seeded
 * stochastic gradient descent, in pure TypeScript (a few seconds for thousands of articles).
 * Input: labelled examples (`trainModel`) or labelled JSONL text (`trainFromJsonl`: one
 * {"text", "label"} per line, optional "title"; label = a medtop code or an alias from the
 * lexicon such as business/politics/sport/tech/entertainment). Output: a TopicModel (pure
 * data; `serializeModel` writes it). Errors: E_BAD_JSON for a line that is not JSON,
 * E_INVALID_RECORD for a missing text or an unknown label, E_MODEL for fewer than two classes.
 */
import { badInput, ERROR_CODES } from '../errors.js';
import { MODEL_FORMAT, softmaxInPlace, vectorize, type TopicModel } from './model.js';
import { resolveLabel, THRESHOLDS } from './rules.js';
import { articleFeatures } from './tokenize.js';
import { seededRandom } from '../random.js';

export interface LabeledExample {
  text: string;
  /** A medtop code or an alias (see resolveLabel). */
  label: string;
  title?: string;
}

export interface TrainOptions {
  epochs?: number;
  learningRate?: number;
  /** L2 penalty per update; keeps rare words from deciding alone. */
  l2?: number;
  /** A feature must appear in at least this many documents. */
  minDf?: number;
  maxFeatures?: number;
  seed?: number;
  /** Share of the final topic score the lexicon keeps when this model is used. */
  lexiconWeight?: number;
  description?: string;
  /** Clock for `trainedOn.createdAt` (tests pass a fixed one). */
  now?: () => Date;
}

const DEFAULTS = { epochs: 12, learningRate: 0.8, l2: 1e-5, minDf: 2, maxFeatures: 60_000, seed: 7, lexiconWeight: 0.2 } as const;

export { seededRandom };

function chooseVocabulary(docs: ReadonlyArray<ReadonlyMap<string, number>>, minDf: number, maxFeatures: number) {
  const df = new Map<string, number>();
  for (const d of docs) for (const f of d.keys()) df.set(f, (df.get(f) ?? 0) + 1);
  const vocabulary = [...df.entries()]
    .filter(([, n]) => n >= minDf)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, maxFeatures)
    .map(([f]) => f);
  const idf = vocabulary.map((f) => Math.log((1 + docs.length) / (1 + df.get(f)!)) + 1);
  return { vocabulary, idf };
}

export function trainModel(examples: readonly LabeledExample[], opts: TrainOptions = {}): TopicModel {
  const o = { ...DEFAULTS, ...opts };
  const labels = examples.map((e, i) => {
    const code = resolveLabel(e.label);
    if (!code) throw badInput(ERROR_CODES.INVALID_RECORD, `example ${i + 1}: unknown label "${e.label}"`, { label: e.label });
    return code;
  });
  const classes = [...new Set(labels)].sort();
  if (classes.length < 2) throw badInput(ERROR_CODES.MODEL, `training needs at least two labels, got ${classes.length}`);
  const classIndex = new Map(classes.map((c, i) => [c, i]));

  const docs = examples.map((e) => articleFeatures(e.title ?? '', e.text, THRESHOLDS.topics.titleRepeat).counts);
  const { vocabulary, idf } = chooseVocabulary(docs, o.minDf, o.maxFeatures);
  const index = new Map(vocabulary.map((f, i) => [f, i]));
  const idfArray = Float64Array.from(idf);
  const vectors = docs.map((d) => vectorize(index, idfArray, d));

  const k = classes.length;
  const weights = new Float64Array(vocabulary.length * k);
  const bias = new Float64Array(k);
  const random = seededRandom(o.seed);
  const order = vectors.map((_, i) => i);
  const logits = new Float64Array(k);
  let step = 0;
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    for (const n of order) {
      const { ids, values } = vectors[n]!;
      const target = classIndex.get(labels[n]!)!;
      // Decay so late epochs refine instead of oscillating.
      const rate = o.learningRate / (1 + step++ / 10_000);
      logits.set(bias);
      for (let j = 0; j < ids.length; j++) {
        const base = ids[j]! * k;
        for (let c = 0; c < k; c++) logits[c]! += weights[base + c]! * values[j]!;
      }
      softmaxInPlace(logits);
      for (let c = 0; c < k; c++) {
        const gradient = logits[c]! - (c === target ? 1 : 0);
        bias[c]! -= rate * gradient;
        for (let j = 0; j < ids.length; j++) {
          const at = ids[j]! * k + c;
          weights[at] = weights[at]! * (1 - rate * o.l2) - rate * gradient * values[j]!;
        }
      }
    }
  }

  return {
    format: MODEL_FORMAT,
    version: 1,
    classes,
    vocabulary,
    idf,
    weights: classes.map((_, c) => vocabulary.map((__, f) => weights[f * k + c]!)),
    bias: [...bias],
    lexiconWeight: o.lexiconWeight,
    trainedOn: {
      description: o.description ?? 'labelled examples',
      examples: examples.length,
      createdAt: (o.now ?? (() => new Date()))().toISOString(),
    },
  };
}

/** Parses labelled JSONL (blank lines skipped) into examples; line numbers in errors are 1-based. */
export function parseLabeledJsonl(text: string): LabeledExample[] {
  const examples: LabeledExample[] = [];
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch (err) {
      throw badInput(ERROR_CODES.BAD_JSON, `line ${i + 1} is not JSON: ${(err as Error).message}`, { line: i + 1 });
    }
    const r = row as Partial<Record<'text' | 'label' | 'title', unknown>>;
    if (typeof r.text !== 'string' || typeof r.label !== 'string') {
      throw badInput(ERROR_CODES.INVALID_RECORD, `line ${i + 1} needs string "text" and "label"`, { line: i + 1 });
    }
    examples.push({ text: r.text, label: r.label, ...(typeof r.title === 'string' ? { title: r.title } : {}) });
  });
  return examples;
}

/** `copydesk train <labeled.jsonl> --out model.json`: the CLI reads the file and writes serializeModel(result). */
export function trainFromJsonl(text: string, opts: TrainOptions = {}): TopicModel {
  return trainModel(parseLabeledJsonl(text), opts);
}
