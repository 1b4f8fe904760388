/**
 * The article-extraction metric of ../shared/bench/README.md (Zyte/Scrapinghub benchmark):
 * `\w+` tokens, 4-token shingles with counts, per-page TP/FP/FN normalized by their sum so every
 * page weighs the same, precision/recall averaged over pages, F1 from those averages.
 * Used by the extraction bench and by the quality gate, so both report the same number.
 */

/** Python's `\w` with re.UNICODE: letters, digits (all numeric categories) and underscore. */
const TOKEN_RE = /[\p{L}\p{N}_]+/gu;
const SHINGLE_SIZE = 4;

export interface PageScore {
  tp: number;
  fp: number;
  fn: number;
  /** Token lists identical (the benchmark's "accuracy"). */
  exact: boolean;
}

export interface ExtractionMetrics {
  f1: number;
  precision: number;
  recall: number;
  accuracy: number;
  pages: number;
}

export function tokenize(text: string): string[] {
  return text.match(TOKEN_RE) ?? [];
}

function shingleCounts(tokens: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  // Like the reference: a text shorter than one shingle still yields its (short) shingle.
  const last = Math.max(1, tokens.length - SHINGLE_SIZE + 1);
  for (let i = 0; i < last; i++) {
    const shingle = tokens.slice(i, i + SHINGLE_SIZE);
    if (shingle.length === 0) continue;
    const key = shingle.join('\u0001');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

export function scorePage(truth: string, predicted: string): PageScore {
  const trueTokens = tokenize(truth);
  const predTokens = tokenize(predicted);
  const t = shingleCounts(trueTokens);
  const p = shingleCounts(predTokens);
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const [key, tc] of t) {
    const pc = p.get(key) ?? 0;
    tp += Math.min(tc, pc);
    fn += Math.max(0, tc - pc);
  }
  for (const [key, pc] of p) fp += Math.max(0, pc - (t.get(key) ?? 0));
  const sum = tp + fp + fn;
  const exact = trueTokens.length === predTokens.length && trueTokens.every((tok, i) => tok === predTokens[i]);
  if (sum > 0) return { tp: tp / sum, fp: fp / sum, fn: fn / sum, exact };
  return { tp, fp, fn, exact };
}

function precisionOf(s: PageScore): number {
  if (s.fp === 0 && s.fn === 0) return 1;
  if (s.tp === 0 && s.fp === 0) return 0;
  return s.tp / (s.tp + s.fp);
}

function recallOf(s: PageScore): number {
  if (s.fp === 0 && s.fn === 0) return 1;
  if (s.tp === 0 && s.fn === 0) return 0;
  return s.tp / (s.tp + s.fn);
}

function mean(xs: number[]): number {
  return xs.length === 0 ? 1 : xs.reduce((a, b) => a + b, 0) / xs.length;
}

export function aggregate(scores: PageScore[]): ExtractionMetrics {
  const precision = mean(scores.filter((s) => s.tp + s.fp > 0).map(precisionOf));
  const recall = mean(scores.filter((s) => s.tp + s.fn > 0).map(recallOf));
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  const accuracy = scores.length === 0 ? 0 : scores.filter((s) => s.exact).length / scores.length;
  return { f1, precision, recall, accuracy, pages: scores.length };
}
