/**
 * People and organisations with mention counts, from runs of capitalized words. Cues (all in
 * data/entity-rules.json): a title before a name ("Defense Minister Judith Collins"), an
 * organisation suffix ("… Force", "… Bank"), a list of known organisations and acronyms
 * ("NATO"); places are split out with the gazetteer. A later surname-only mention ("Collins
 * said") counts for the full name. Input: tokens. Output: people and organisations, most
 * mentioned first. Errors: none.
 */
import type { EntityRules } from './rules.js';
import { matchPlaceAt, type CompiledGazetteer } from './places.js';
import type { Token } from './scan.js';

export interface NamedEntity {
  name: string;
  mentions: number;
}

export interface CompiledEntityRules {
  titles: ReadonlySet<string>;
  modifiers: ReadonlySet<string>;
  orgSuffixes: ReadonlySet<string>;
  orgPrefixes: ReadonlySet<string>;
  knownOrgs: ReadonlyMap<string, number>;
  notEntities: ReadonlySet<string>;
  nonPerson: ReadonlySet<string>;
  connectors: ReadonlySet<string>;
  particles: ReadonlySet<string>;
  maxPersonWords: number;
  maxOrgWords: number;
}

export function compileEntityRules(r: EntityRules): CompiledEntityRules {
  return {
    titles: new Set(r.personTitles),
    modifiers: new Set(r.titleModifiers),
    orgSuffixes: new Set(r.orgSuffixes),
    orgPrefixes: new Set(r.orgPrefixes),
    knownOrgs: new Map(r.knownOrganizations.map((o) => [o, o.split(' ').length])),
    notEntities: new Set(r.notEntities),
    nonPerson: new Set(r.nonPersonWords),
    connectors: new Set(r.orgConnectors),
    particles: new Set(r.personParticles),
    maxPersonWords: r.maxPersonWords,
    maxOrgWords: r.maxOrgWords,
  };
}

/** Runs of joined capitalized tokens; lowercase connectors ("of", "de") may sit inside a run. */
function capitalizedRuns(rules: CompiledEntityRules, tokens: readonly Token[]): Token[][] {
  const runs: Token[][] = [];
  let run: Token[] = [];
  const close = () => {
    while (run.length && !run[run.length - 1]!.capitalized) run.pop();
    if (run.length) runs.push(run);
    run = [];
  };
  for (const t of tokens) {
    const inner = !t.capitalized && (rules.connectors.has(t.word) || rules.particles.has(t.word));
    if (run.length && !t.joined) close();
    if (t.capitalized) run.push(t);
    else if (inner && run.length) run.push(t);
    else close();
  }
  close();
  return runs;
}

const ACRONYM = /^[A-Z][A-Z0-9&]{1,6}$/;
const TITLE_CASE = /^\p{Lu}[\p{Ll}'’.-]/u;

/** 'titled': the words after a title, a name even when it is one word ("Emperor Naruhito"). */
type Sink = (kind: 'person' | 'titled' | 'org', words: readonly string[]) => void;

function classifyPart(rules: CompiledEntityRules, g: CompiledGazetteer, part: Token[], emit: Sink): void {
  while (part.length && rules.notEntities.has(part[0]!.word)) part = part.slice(1);
  while (part.length && (rules.notEntities.has(part[part.length - 1]!.word) || !part[part.length - 1]!.capitalized)) part = part.slice(0, -1);
  if (!part.length) return;
  const words = part.map((t) => t.word);
  const last = words[words.length - 1]!;

  if (words.length >= 2 && words.length <= rules.maxOrgWords && (rules.orgSuffixes.has(last) || rules.orgPrefixes.has(words[0]!))) {
    emit('org', words);
    return;
  }
  let titleAt = -1;
  words.forEach((w, i) => {
    if (rules.titles.has(w) && i < words.length - 1) titleAt = i;
  });
  if (titleAt >= 0) {
    let rest = words.slice(titleAt + 1);
    while (rest.length && rules.modifiers.has(rest[0]!)) rest = rest.slice(1);
    if (rest.length && rest.length <= rules.maxPersonWords && rest.every((w) => TITLE_CASE.test(w) && !rules.nonPerson.has(w))) emit('titled', rest);
    return;
  }
  // Split what is left at places ("Tokyo", "New Zealand"): the pieces between may be names.
  let piece: Token[] = [];
  const flush = () => {
    if (piece.length) namePiece(rules, piece, emit);
    piece = [];
  };
  for (let i = 0; i < part.length; ) {
    const place = matchPlaceAt(g, part, i);
    if (place) {
      flush();
      i += place.length;
    } else piece.push(part[i++]!);
  }
  flush();
}

function namePiece(rules: CompiledEntityRules, piece: Token[], emit: Sink): void {
  let words = piece.map((t) => t.word).filter((w) => !rules.notEntities.has(w));
  // "Republican Phil Bryant": party and office words before a name are not part of it; a run
  // ending in a title ("Senate Leader") is no name at all.
  while (words.length > 1 && (rules.modifiers.has(words[0]!) || rules.titles.has(words[0]!))) words = words.slice(1);
  if (words.length && rules.titles.has(words[words.length - 1]!)) return;
  if (words.length === 1 && ACRONYM.test(words[0]!)) {
    emit('org', words);
    return;
  }
  const looksLikeName = words.length >= 2 && words.length <= rules.maxPersonWords && words.every((w) => rules.particles.has(w) || (TITLE_CASE.test(w) && !rules.nonPerson.has(w)));
  if (looksLikeName) emit('person', words);
  else if (words.length === 1) emit('person', words); // a lone word counts only if it is a known person's surname (see findEntities)
}

export function findEntities(rules: CompiledEntityRules, g: CompiledGazetteer, tokens: readonly Token[], limits: { people: number; organizations: number }): { people: NamedEntity[]; organizations: NamedEntity[] } {
  const people = new Map<string, number>();
  const orgs = new Map<string, number>();
  const singles = new Map<string, number>();
  const titledSingles = new Map<string, number>();
  const add = (m: Map<string, number>, name: string) => m.set(name, (m.get(name) ?? 0) + 1);
  const emit: Sink = (kind, words) => {
    const name = words.join(' ');
    if (kind === 'org') add(orgs, name);
    else if (words.length > 1) add(people, name);
    else add(kind === 'titled' ? titledSingles : singles, name);
  };
  for (const run of capitalizedRuns(rules, tokens)) {
    // Known organisations are cut out first: "NATO's Indo-Pacific Four" → "NATO" + the rest.
    let start = 0;
    for (let i = 0; i < run.length; i++) {
      for (let n = Math.min(3, run.length - i); n >= 1; n--) {
        const phrase = run.slice(i, i + n).map((t) => t.word).join(' ');
        if (rules.knownOrgs.get(phrase) === n) {
          if (i > start) classifyPart(rules, g, run.slice(start, i), emit);
          emit('org', [phrase]);
          start = i + n;
          i = start - 1;
          break;
        }
      }
    }
    if (start < run.length) classifyPart(rules, g, run.slice(start), emit);
  }
  attachSurnames(people, singles);
  for (const [name, count] of attachSurnames(people, titledSingles)) people.set(name, count);
  const top = (m: Map<string, number>, limit: number) =>
    [...m.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, limit).map(([name, mentions]) => ({ name, mentions }));
  return { people: top(people, limits.people), organizations: top(orgs, limits.organizations) };
}

/**
 * A lone capitalized word that is the last (or first) word of exactly one person named in
 * full adds to that person ("Collins said" → "Judith Collins"). Returns the words that
 * matched nobody: plain ones are dropped (sentence starts, brands), titled ones are kept.
 */
function attachSurnames(people: Map<string, number>, singles: ReadonlyMap<string, number>): Map<string, number> {
  const unmatched = new Map<string, number>();
  const byPart = new Map<string, string[]>();
  for (const name of people.keys()) {
    const parts = name.split(' ');
    for (const p of new Set([parts[0]!, parts[parts.length - 1]!])) byPart.set(p, [...(byPart.get(p) ?? []), name]);
  }
  for (const [word, count] of singles) {
    const owners = byPart.get(word);
    if (owners?.length === 1) people.set(owners[0]!, people.get(owners[0]!)! + count);
    else unmatched.set(word, count);
  }
  return unmatched;
}
