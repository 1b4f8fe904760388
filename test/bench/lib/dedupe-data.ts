/**
 * The dedup dev set (../shared/bench/dedup/dev.jsonl) and its metric, shared by the dedupe
 * benchmark and the dedupe quality gate: loading, the seeded 5% character noise, and ARI with
 * pairwise precision/recall as ../shared/bench/README.md defines them.
 */
import { existsSync, readFileSync } from 'node:fs';
import { contentHash, normalizeForHash } from '../../../src/dedupe/normalize.js';
import type { DedupeCandidate, DedupeIndex } from '../../../src/dedupe/index-types.js';
import { seededRandom } from '../../../src/random.js';

export const DEDUPE_DEV = new URL('../../../../shared/bench/dedup/dev.jsonl', import.meta.url).pathname;
export const NOISE_RATE = 0.05;

export interface DevDoc {
  id: string;
  text: string;
  cluster: string;
}

export interface ClusterScores {
  ari: number;
  precision: number;
  recall: number;
}

/** The dev set, or null when the benchmark folder is absent. */
export function loadDedupeDev(): DevDoc[] | null {
  if (!existsSync(DEDUPE_DEV)) return null;
  return readFileSync(DEDUPE_DEV, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as DevDoc);
}

/** The corrupted set is the same on every run. */
export const prng = seededRandom;

export const LETTERS = 'abcdefghijklmnopqrstuvwxyz';
/** OCR-style noise: each character, with probability `rate`, is replaced (60%), dropped (20%) or gets a stray letter after it (20%). */
export function corrupt(text: string, rate: number, random: () => number): string {
  let out = '';
  for (const ch of text) {
    if (random() >= rate) {
      out += ch;
      continue;
    }
    const kind = random();
    const letter = LETTERS[Math.floor(random() * LETTERS.length)]!;
    if (kind < 0.6) out += letter;
    else if (kind >= 0.8) out += ch + letter;
  }
  return out;
}

/** The dev set with 5% of characters corrupted, the same on every run. */
export function noisy(docs: readonly DevDoc[]): DevDoc[] {
  const random = prng(20261128);
  return docs.map((d) => ({ ...d, text: corrupt(d.text, NOISE_RATE, random) }));
}

export function devCandidate(doc: DevDoc): DedupeCandidate {
  const paragraphs = doc.text.split(/\n\s*\n/).map((p) => p.trim()).filter(Boolean);
  return { articleId: doc.id, contentHash: contentHash(paragraphs), normalizedText: normalizeForHash(paragraphs.join('\n')) };
}

const pairs = (n: number): number => (n * (n - 1)) / 2;

/** Adjusted Rand Index as sklearn.metrics.adjusted_rand_score, plus pairwise precision/recall. */
export function clusterScores(truth: readonly string[], predicted: readonly string[]): ClusterScores {
  const count = (xs: readonly string[]) => xs.reduce((m, x) => m.set(x, (m.get(x) ?? 0) + 1), new Map<string, number>());
  const joint = count(truth.map((t, i) => `${t}\u0000${predicted[i]}`));
  const sumJoint = [...joint.values()].reduce((s, v) => s + pairs(v), 0);
  const sumTruth = [...count(truth).values()].reduce((s, v) => s + pairs(v), 0);
  const sumPred = [...count(predicted).values()].reduce((s, v) => s + pairs(v), 0);
  const expected = (sumTruth * sumPred) / pairs(truth.length);
  const max = (sumTruth + sumPred) / 2;
  const ari = max === expected ? 1 : (sumJoint - expected) / (max - expected);
  return { ari, precision: sumPred ? sumJoint / sumPred : 1, recall: sumTruth ? sumJoint / sumTruth : 1 };
}

/** Decides every document in order and scores the clusters. */
export async function scoreIndex(docs: readonly DevDoc[], index: DedupeIndex): Promise<ClusterScores & { seconds: number }> {
  const cands = docs.map(devCandidate);
  const started = performance.now();
  const predicted: string[] = [];
  for (const c of cands) predicted.push((await index.decide(c)).clusterId);
  const seconds = (performance.now() - started) / 1000;
  return { ...clusterScores(docs.map((d) => d.cluster), predicted), seconds };
}
