/**
 * Places: countries and territories (ISO 3166-1 alpha-2) named in an article by their names,
 * demonyms, capitals or major cities, with mention counts. Input: tokens. Output: places,
 * most mentioned first. Errors: none.
 */
import type { Gazetteer } from './rules.js';
import type { Token } from './scan.js';

export interface Place {
  name: string;
  code: string;
  mentions: number;
}

export interface CompiledGazetteer {
  /** Surface form → country code; null for blocked phrases ("South China Sea"). */
  forms: ReadonlyMap<string, string | null>;
  names: ReadonlyMap<string, string>;
  /**
   * The first words of every longer form ("New" of "New Zealand", "South China" of "South
   * China Sea"): a phrase grows by the next word only while it is one of these, so most
   * capitalized words cost one lookup instead of building up to five phrases.
   */
  prefixes: ReadonlySet<string>;
}

export function compileGazetteer(g: Gazetteer): CompiledGazetteer {
  const forms = new Map<string, string | null>();
  const names = new Map<string, string>();
  for (const p of g.places) {
    names.set(p.code, p.name);
    for (const form of [p.name, ...p.aliases, ...p.demonyms, ...p.cities]) if (!forms.has(form)) forms.set(form, p.code);
  }
  for (const phrase of g.blocked) forms.set(phrase, null);
  return { forms, names, prefixes: phrasePrefixes(forms.keys()) };
}

/** Every proper word-prefix of the multi-word phrases: "South", "South China" for "South China Sea". */
export function phrasePrefixes(phrases: Iterable<string>): Set<string> {
  const prefixes = new Set<string>();
  for (const phrase of phrases) for (let space = phrase.indexOf(' '); space > 0; space = phrase.indexOf(' ', space + 1)) prefixes.add(phrase.slice(0, space));
  return prefixes;
}

/** The longest gazetteer form starting at tokens[i] (only across joined tokens), or undefined. */
export function matchPlaceAt(g: CompiledGazetteer, tokens: readonly Token[], i: number): { code: string | null; length: number } | undefined {
  const first = tokens[i]!;
  if (!first.capitalized) return undefined;
  let phrase = first.word;
  let best: { code: string | null; length: number } | undefined;
  for (let n = 1; ; n++) {
    const code = g.forms.get(phrase);
    if (code !== undefined) best = { code, length: n };
    const next = tokens[i + n];
    if (!next?.joined || !g.prefixes.has(phrase)) break;
    phrase += ` ${next.word}`;
  }
  if (!best && first.word.includes('-')) {
    // "U.S.-led", "Japan-based": the place is the part before the hyphen.
    const code = g.forms.get(first.word.slice(0, first.word.indexOf('-')));
    if (code !== undefined) best = { code, length: 1 };
  }
  return best;
}

export function findPlaces(g: CompiledGazetteer, tokens: readonly Token[], limit: number): Place[] {
  const counts = new Map<string, number>();
  for (let i = 0; i < tokens.length; ) {
    const hit = matchPlaceAt(g, tokens, i);
    if (!hit) {
      i++;
      continue;
    }
    if (hit.code) counts.set(hit.code, (counts.get(hit.code) ?? 0) + 1);
    i += hit.length;
  }
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, limit)
    .map(([code, mentions]) => ({ name: g.names.get(code)!, code, mentions }));
}
