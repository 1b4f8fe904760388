import { describe, expect, it } from 'vitest';
import { classify, loadModel, parseLabeledJsonl, serializeModel, trainFromJsonl, trainModel, type LabeledExample } from '../../../src/classify/index.js';
import { predictModel } from '../../../src/classify/model.js';
import { articleFeatures } from '../../../src/classify/tokenize.js';
import { CopydeskError } from '../../../src/errors.js';

// Tiny hand-written corpus: the words that separate the labels are deliberately not the
// lexicon's strongest ones, so a passing test shows the model learned them.
const examples: LabeledExample[] = [
  { label: 'sport', text: 'The striker scored twice as the home side won the derby in front of a packed stadium.' },
  { label: 'sport', text: 'The goalkeeper saved a late penalty and the club stayed top of the league table.' },
  { label: 'sport', text: 'The coach praised his squad after a hard-fought victory in the cup semi-final.' },
  { label: 'sport', text: 'The sprinter broke the national record in the final of the championships.' },
  { label: 'business', text: 'Shares in the retailer fell after it warned that annual profits would miss forecasts.' },
  { label: 'business', text: 'The bank raised interest rates to curb inflation as the economy grew faster than expected.' },
  { label: 'business', text: 'Investors welcomed the merger, which values the combined company at four billion dollars.' },
  { label: 'business', text: 'The carmaker reported record quarterly sales and lifted its dividend for shareholders.' },
  { label: 'medtop:07000000', text: 'Doctors at the hospital said the new vaccine cut infections among elderly patients.' },
  { label: 'medtop:07000000', text: 'Nurses warned that waiting times for cancer treatment had doubled in two years.' },
  { label: 'medtop:07000000', text: 'A clinical trial found the drug reduced symptoms of the disease in most patients.' },
  { label: 'medtop:07000000', text: 'Health officials urged people to get the flu jab before the winter outbreak peaks.' },
];
const fixedClock = () => new Date('2026-01-01T00:00:00Z');

describe('topic model training', () => {
  it('learns labels given as aliases or medtop codes and predicts unseen sentences', () => {
    const model = trainModel(examples, { minDf: 1, epochs: 30, now: fixedClock });
    expect(model.classes).toEqual(['medtop:04000000', 'medtop:07000000', 'medtop:15000000']);
    const compiled = loadModel(serializeModel(model));
    const predict = (text: string) => {
      const p = predictModel(compiled, articleFeatures('', text, 1).counts).probabilities;
      return compiled.source.classes[p.indexOf(Math.max(...p))];
    };
    expect(predict('The club signed a new striker before the league match.')).toBe('medtop:15000000');
    expect(predict('Profits at the company rose and its shares jumped.')).toBe('medtop:04000000');
    expect(predict('The hospital treated more patients for the disease.')).toBe('medtop:07000000');
  });

  it('is deterministic for the same data and seed', () => {
    const a = serializeModel(trainModel(examples, { minDf: 1, now: fixedClock }));
    const b = serializeModel(trainModel(examples, { minDf: 1, now: fixedClock }));
    expect(a).toBe(b);
  });

  it('round-trips through serializeModel/loadModel with the same classification', () => {
    const model = trainModel(examples, { minDf: 1, lexiconWeight: 0, now: fixedClock });
    const reloaded = loadModel(serializeModel(model));
    const again = loadModel(serializeModel(reloaded));
    const input = { title: 'Striker scores winner', paragraphs: ['The striker scored in the final minute and the club won the cup match at the stadium.'] };
    const first = classify(input, reloaded);
    expect(first.topics[0]?.code).toBe('medtop:15000000');
    expect(classify(input, again)).toEqual(first);
    expect(first.topics[0]?.terms.length).toBeGreaterThan(0);
  });

  it('trains from labelled JSONL, skipping blank lines', () => {
    const jsonl = examples.map((e) => JSON.stringify(e)).join('\n\n') + '\n';
    expect(parseLabeledJsonl(jsonl)).toHaveLength(examples.length);
    const model = trainFromJsonl(jsonl, { minDf: 1, now: fixedClock });
    expect(model.trainedOn.examples).toBe(examples.length);
    expect(model.trainedOn.createdAt).toBe('2026-01-01T00:00:00.000Z');
  });

  it('rejects bad training data with typed errors', () => {
    const codeOf = (f: () => unknown) => {
      try {
        f();
      } catch (err) {
        return err instanceof CopydeskError ? err.code : 'other';
      }
      return 'none';
    };
    expect(codeOf(() => trainFromJsonl('{"text": "a", "label": "sport"}\nnot json'))).toBe('E_BAD_JSON');
    expect(codeOf(() => trainFromJsonl('{"text": "a", "label": "gardening tips"}'))).toBe('E_INVALID_RECORD');
    expect(codeOf(() => trainFromJsonl('{"text": 3, "label": "sport"}'))).toBe('E_INVALID_RECORD');
    expect(codeOf(() => trainFromJsonl('{"text": "a", "label": "sport"}\n{"text": "b", "label": "sports"}'))).toBe('E_MODEL');
  });

  it('refuses a malformed or inconsistent model file', () => {
    const good = JSON.parse(serializeModel(trainModel(examples, { minDf: 1, now: fixedClock }))) as Record<string, unknown>;
    expect(() => loadModel('{nope')).toThrow(/not JSON/);
    expect(() => loadModel({ ...good, format: 'other' })).toThrow(/invalid/);
    expect(() => loadModel({ ...good, idf: [1] })).toThrow(/idf length/);
  });
});
