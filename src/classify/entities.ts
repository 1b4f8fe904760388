/**
 * People and organisations with mention counts, from runs of capitalized words. Cues (all in
 * data/entity-rules.json): a title before a name ("Defense Minister Judith Collins"), an
 * organisation suffix ("… Force", "… Bank"), a list of known organisations and acronyms
 * ("NATO"); places are split out with the gazetteer. A later surname-only mention ("Collins
 * said") counts for the full name. Input: tokens. Output: people and organisations, most
 * mentioned first. Errors: none.
 */
import type { EntityRules } from './rules.js';
import { matchPlaceAt, phrasePrefixes, type CompiledGazetteer } from './places.js';
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
  /** Known organisation → its number of words. */
  knownOrgs: ReadonlyMap<string, number>;
  /** First words of the known organisations of several words ("Bank of" of "Bank of England"). */
  knownOrgStarts: ReadonlySet<string>;
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
    knownOrgStarts: phrasePrefixes(r.knownOrganizations),
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
  for (const t of tokens) {
    if (run.length && !t.joined) run = closeRun(run, runs);
    if (t.capitalized) run.push(t);
    // Only a lowercase word inside a run is looked up: most words are lowercase and far from one.
    else if (run.length && (rules.connectors.has(t.word) || rules.particles.has(t.word))) run.push(t);
    else if (run.length) run = closeRun(run, runs);
  }
  closeRun(run, runs);
  return runs;
}

/** Keeps `run` (without trailing connectors) when capitalized words are left; returns a new empty run. */
function closeRun(run: Token[], runs: Token[][]): Token[] {
  while (run.length && !run[run.length - 1]!.capitalized) run.pop();
  if (run.length) runs.push(run);
  return [];
}

/** The longest known organisation starting at run[i] ("Bank of England"), or undefined. */
function knownOrganizationAt(rules: CompiledEntityRules, run: readonly Token[], i: number): { name: string; length: number } | undefined {
  let phrase = run[i]!.word;
  let found: { name: string; length: number } | undefined;
  for (let n = 1; ; n++) {
    if (rules.knownOrgs.get(phrase) === n) found = { name: phrase, length: n };
    if (i + n >= run.length || !rules.knownOrgStarts.has(phrase)) return found;
    phrase += ` ${run[i + n]!.word}`;
  }
}

const ACRONYM = /^[A-Z][A-Z0-9&]{1,6}$/;
const TITLE_CASE = /^\p{Lu}[\p{Ll}'’.-]/u;

/** Mentions found so far, by name. Single words wait for attachSurnames: they may be a known person's surname. */
interface Mentions {
  people: Map<string, number>;
  orgs: Map<string, number>;
  singles: Map<string, number>;
  /** Single words after a title ("Emperor Naruhito"): a name even when no full name matches. */
  titledSingles: Map<string, number>;
}

function addMention(m: Map<string, number>, name: string): void {
  m.set(name, (m.get(name) ?? 0) + 1);
}

function addOrganization(found: Mentions, words: readonly string[]): void {
  addMention(found.orgs, words.join(' '));
}

function addPerson(found: Mentions, words: readonly string[], titled: boolean): void {
  if (words.length > 1) addMention(found.people, words.join(' '));
  else addMention(titled ? found.titledSingles : found.singles, words[0]!);
}

function classifyPart(rules: CompiledEntityRules, g: CompiledGazetteer, run: readonly Token[], from: number, to: number, found: Mentions): void {
  while (from < to && rules.notEntities.has(run[from]!.word)) from++;
  while (to > from && (rules.notEntities.has(run[to - 1]!.word) || !run[to - 1]!.capitalized)) to--;
  if (from === to) return;
  const part = run.slice(from, to);
  const words = part.map((t) => t.word);
  const last = words[words.length - 1]!;

  if (words.length >= 2 && words.length <= rules.maxOrgWords && (rules.orgSuffixes.has(last) || rules.orgPrefixes.has(words[0]!))) {
    addOrganization(found, words);
    return;
  }
  let titleAt = -1;
  for (let i = 0; i < words.length - 1; i++) if (rules.titles.has(words[i]!)) titleAt = i;
  if (titleAt >= 0) {
    let rest = words.slice(titleAt + 1);
    while (rest.length && rules.modifiers.has(rest[0]!)) rest = rest.slice(1);
    if (rest.length && rest.length <= rules.maxPersonWords && rest.every((w) => TITLE_CASE.test(w) && !rules.nonPerson.has(w))) addPerson(found, rest, true);
    return;
  }
  // Split what is left at places ("Tokyo", "New Zealand"): the pieces between may be names.
  let pieceStart = 0;
  for (let i = 0; i < part.length; ) {
    const place = matchPlaceAt(g, part, i);
    if (!place) {
      i++;
      continue;
    }
    if (i > pieceStart) namePiece(rules, words.slice(pieceStart, i), found);
    i = pieceStart = i + place.length;
  }
  if (pieceStart < part.length) namePiece(rules, words.slice(pieceStart), found);
}

function namePiece(rules: CompiledEntityRules, piece: readonly string[], found: Mentions): void {
  let words = piece.filter((w) => !rules.notEntities.has(w));
  // "Republican Phil Bryant": party and office words before a name are not part of it; a run
  // ending in a title ("Senate Leader") is no name at all.
  while (words.length > 1 && (rules.modifiers.has(words[0]!) || rules.titles.has(words[0]!))) words = words.slice(1);
  if (words.length && rules.titles.has(words[words.length - 1]!)) return;
  if (words.length === 1 && ACRONYM.test(words[0]!)) {
    addOrganization(found, words);
    return;
  }
  const looksLikeName = words.length >= 2 && words.length <= rules.maxPersonWords && words.every((w) => rules.particles.has(w) || (TITLE_CASE.test(w) && !rules.nonPerson.has(w)));
  if (looksLikeName) addPerson(found, words, false);
  else if (words.length === 1) addPerson(found, words, false); // a lone word counts only if it is a known person's surname (see findEntities)
}

export function findEntities(rules: CompiledEntityRules, g: CompiledGazetteer, tokens: readonly Token[], limits: { people: number; organizations: number }): { people: NamedEntity[]; organizations: NamedEntity[] } {
  const found: Mentions = { people: new Map(), orgs: new Map(), singles: new Map(), titledSingles: new Map() };
  for (const run of capitalizedRuns(rules, tokens)) {
    // Known organisations are cut out first: "NATO's Indo-Pacific Four" → "NATO" + the rest.
    let start = 0;
    for (let i = 0; i < run.length; ) {
      const org = knownOrganizationAt(rules, run, i);
      if (!org) {
        i++;
        continue;
      }
      if (i > start) classifyPart(rules, g, run, start, i, found);
      addMention(found.orgs, org.name);
      i = start = i + org.length;
    }
    if (start < run.length) classifyPart(rules, g, run, start, run.length, found);
  }
  const { people } = found;
  // Attaching only adds to people already known, so both passes can share one index.
  const byNamePart = peopleByNamePart(people);
  attachSurnames(people, byNamePart, found.singles);
  for (const [name, count] of attachSurnames(people, byNamePart, found.titledSingles)) people.set(name, count);
  return { people: mostMentioned(people, limits.people), organizations: mostMentioned(found.orgs, limits.organizations) };
}

function mostMentioned(m: ReadonlyMap<string, number>, limit: number): NamedEntity[] {
  return [...m.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, limit)
    .map(([name, mentions]) => ({ name, mentions }));
}

/**
 * A lone capitalized word that is the last (or first) word of exactly one person named in
 * full adds to that person ("Collins said" → "Judith Collins"). Returns the words that
 * matched nobody: plain ones are dropped (sentence starts, brands), titled ones are kept.
 */
function attachSurnames(people: Map<string, number>, byNamePart: ReadonlyMap<string, readonly string[]>, singles: ReadonlyMap<string, number>): Map<string, number> {
  const unmatched = new Map<string, number>();
  for (const [word, count] of singles) {
    const owners = byNamePart.get(word);
    if (owners?.length === 1) people.set(owners[0]!, people.get(owners[0]!)! + count);
    else unmatched.set(word, count);
  }
  return unmatched;
}

/** The first and last word of each person's full name → the people with that word there. */
function peopleByNamePart(people: ReadonlyMap<string, number>): Map<string, string[]> {
  const byPart = new Map<string, string[]>();
  for (const name of people.keys()) {
    const parts = name.split(' ');
    for (const p of new Set([parts[0]!, parts[parts.length - 1]!])) {
      const owners = byPart.get(p);
      if (owners) owners.push(name);
      else byPart.set(p, [name]);
    }
  }
  return byPart;
}
