/**
 * The topic benchmark data (../shared/bench/classify, BBC News) and its metric, shared by the
 * classify benchmark and the classify quality gate: top topic through the label → IPTC map of
 * ../shared/bench/README.md, accuracy and macro-F1.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { classify, type CompiledModel } from '../../../src/classify/index.js';

export const CLASSIFY_DIR = path.resolve(import.meta.dirname, '../../../../shared/bench/classify');
export const LABEL_TO_IPTC: Record<string, string> = {
  business: 'medtop:04000000',
  entertainment: 'medtop:01000000',
  politics: 'medtop:11000000',
  sport: 'medtop:15000000',
  tech: 'medtop:13000000',
};

export interface Row {
  label: string;
  text: string;
}

export function classifyDataPresent(): boolean {
  return existsSync(path.join(CLASSIFY_DIR, 'bbc-test.jsonl'));
}

export function readRows(name: string): string[] {
  return readFileSync(path.join(CLASSIFY_DIR, name), 'utf8').split('\n').filter((l) => l.trim());
}

/** BBC texts start with the headline, then a blank line. */
export function toInput(text: string) {
  const [title = '', ...paragraphs] = text.split('\n\n');
  return { title, paragraphs };
}

/** `model`: undefined is the shipped default, null the lexicon alone. */
export function scoreTopics(rows: readonly Row[], model: CompiledModel | null | undefined) {
  const gold = rows.map((r) => LABEL_TO_IPTC[r.label]!);
  const predicted = rows.map((r) => classify(toInput(r.text), model).topics[0]?.code ?? 'none');
  const accuracy = gold.filter((g, i) => g === predicted[i]).length / rows.length;
  const f1s = Object.values(LABEL_TO_IPTC).map((code) => {
    const tp = gold.filter((g, i) => g === code && predicted[i] === code).length;
    const fp = predicted.filter((p, i) => p === code && gold[i] !== code).length;
    const fn = gold.filter((g, i) => g === code && predicted[i] !== code).length;
    return tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
  });
  return { accuracy, macroF1: f1s.reduce((a, b) => a + b, 0) / f1s.length };
}
