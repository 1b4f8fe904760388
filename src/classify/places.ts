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
  maxWords: number;
}

export function compileGazetteer(g: Gazetteer): CompiledGazetteer {
  const forms = new Map<string, string | null>();
  const names = new Map<string, string>();
  for (const p of g.places) {
    names.set(p.code, p.name);
    for (const form of [p.name, ...p.aliases, ...p.demonyms, ...p.cities]) if (!forms.has(form)) forms.set(form, p.code);
  }
  for (const phrase of g.blocked) forms.set(phrase, null);
  const maxWords = Math.max(...[...forms.keys()].map((f) => f.split(' ').length));
  return { forms, names, maxWords };
}

/** The longest gazetteer form starting at tokens[i] (only across joined tokens), or undefined. */
export function matchPlaceAt(g: CompiledGazetteer, tokens: readonly Token[], i: number): { code: string | null; length: number } | undefined {
  const first = tokens[i]!;
  if (!first.capitalized) return undefined;
  let phrase = first.word;
  let best: { code: string | null; length: number } | undefined;
  for (let n = 1; n <= g.maxWords && i + n <= tokens.length; n++) {
    if (n > 1) {
      const next = tokens[i + n - 1]!;
      if (!next.joined) break;
      phrase += ` ${next.word}`;
    }
    const code = g.forms.get(phrase);
    if (code !== undefined) best = { code, length: n };
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
