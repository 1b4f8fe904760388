/**
 * Shared by the fast-check fuzz tests of the pure stages: a seeded, bounded run that measures
 * itself, and the rule that a stage either returns or throws a typed CopydeskError.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { expect } from 'vitest';
import { CopydeskError } from '../../src/errors.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Fixed, so every run checks the same inputs; set COPYDESK_FUZZ_SEED to explore others. */
export const FUZZ_SEED = Number(process.env.COPYDESK_FUZZ_SEED ?? 20260601);

/**
 * Checks `check` on `numRuns` seeded inputs. Fails when the whole run takes more than
 * `budgetMs` or one call more than half of it: generous bounds, since a regex blow-up or an
 * endless loop shows as seconds per call, not milliseconds. Returns the slowest call (ms).
 */
export function fuzz<T>(arb: fc.Arbitrary<T>, numRuns: number, budgetMs: number, check: (input: T) => void): number {
  let slowest = 0;
  const started = performance.now();
  fc.assert(
    fc.property(arb, (input) => {
      const t = performance.now();
      check(input);
      slowest = Math.max(slowest, performance.now() - t);
    }),
    { seed: FUZZ_SEED, numRuns },
  );
  const total = performance.now() - started;
  expect(total, `whole run ${Math.round(total)} ms, slowest call ${Math.round(slowest)} ms`).toBeLessThan(budgetMs);
  expect(slowest, `slowest call ${Math.round(slowest)} ms`).toBeLessThan(budgetMs / 2);
  return slowest;
}

/** The result of `fn`, or null when it threw a CopydeskError; any other exception propagates. */
export function orTyped<T>(fn: () => T): T | null {
  try {
    return fn();
  } catch (err) {
    if (err instanceof CopydeskError) {
      expect(err.code).toMatch(/^E_[A-Z_]+$/);
      return null;
    }
    throw err;
  }
}

// Text dumps: the real ones in samples/ and test/fixtures/text, their lines, random lines.

/** The real text dumps. */
export const TEXT_FILES = [
  ...['aggregator-dump.txt', 'single-article.md', 'mojibake.txt', 'page-saved-as.txt'].map((n) => path.join(repo, 'samples', n)),
  ...readdirSync(path.join(repo, 'test/fixtures/text')).filter((n) => n.endsWith('.txt')).map((n) => path.join(repo, 'test/fixtures/text', n)),
].map((file) => readFileSync(file, 'utf8'));
const FIXTURE_LINES = [...new Set(TEXT_FILES.flatMap((t) => t.split('\n')))];
const WORDS = ['council', 'budget', 'the', 'a', 'of', 'voted', 'on', 'Monday', 'café', 'Zürich', 'Ελλάδα', '東京', '2025', '£3', '—', '"quoted"', "it's", 'well-known', '(Reuters)', '-', ',', '.', ' ,', ' .', '...'];

/** One line of a dump: mostly real fixture lines, then chrome, bylines, dates, separators, entities, mojibake, noise. */
const dumpLine = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...FIXTURE_LINES) },
  { weight: 1, arbitrary: fc.string({ maxLength: 80 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 80 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '', '-----', '* * *', '###', 'Related Articles', 'Advertisement', 'By Jane Doe', 'By Jane Doe and John Roe, Reuters', '37 minutes ago',
      'Jun 9, 2025 16:54 (JST)', 'Published: 2025-06-09', 'Photo: AP', '(Reuters) -', '&amp; &lt;b&gt; &#8217; &#xD800; &#99999999;', 'â€™ Ã© mojibake',
      '\t  \u00a0', '\r', '\u200b\u200b', '\ufeff', '\ud800',
    ),
  },
  { weight: 1, arbitrary: fc.array(fc.constantFrom(...WORDS), { maxLength: 400 }).map((w) => w.join(' ')) },
);
/** Up to 120 random lines. */
export const randomDump = fc.array(dumpLine, { maxLength: 120 }).map((lines) => lines.join('\n'));
/** A real dump, cut at both ends at random points. */
export const truncatedDump = fc
  .tuple(fc.constantFrom(...TEXT_FILES), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }))
  .map(([t, a, b]) => t.slice(Math.floor(t.length * Math.min(a, b) * 0.3), Math.floor(t.length * Math.max(a, b))));
/** Either kind. */
export const anyDump = fc.oneof(randomDump, truncatedDump);

