import { describe, expect, it } from 'vitest';
import { classify } from '../../../src/classify/index.js';

const run = (text: string, title = '') => classify({ title, paragraphs: [text] }, null);
const codes = (text: string) => Object.fromEntries(run(text).places.map((p) => [p.code, p.mentions]));

describe('places', () => {
  it('maps capitals, cities, names and demonyms to ISO 3166-1 alpha-2 with mention counts', () => {
    expect(codes('Officials in Wellington and Tokyo met. Beijing objected, Hong Kong stayed quiet and Taiwan welcomed it.')).toEqual({ NZ: 1, JP: 1, CN: 1, HK: 1, TW: 1 });
    expect(codes('French and German ministers met in Paris. Berlin later said France would agree.')).toEqual({ FR: 3, DE: 2 });
    expect(codes("New Zealand's navy joined U.S.-led patrols; the U.S. and the UK agreed.")).toEqual({ NZ: 1, US: 2, GB: 1 });
  });

  it('does not read a place inside a longer name that is not about it', () => {
    expect(codes('Ships sailed through the South China Sea toward New Zealand.')).toEqual({ NZ: 1 });
    expect(codes('It was reported by the New York Times yesterday.')).toEqual({});
  });

  it('ignores lowercase common words that spell a place', () => {
    expect(codes('We had turkey and china plates at dinner.')).toEqual({});
  });
});

describe('people and organisations', () => {
  const text = [
    "New Zealand Defense Minister Judith Collins said on Monday that ties with Japan would grow, a day after Prime Minister Christopher Luxon spoke in Wellington.",
    "'We are working closely with Japan,' Collins said. NATO's partners and the Maritime Self-Defense Force joined the exercises, Collins added.",
    'The Royal New Zealand Navy sent a ship. Mr Luxon did not comment.',
  ].join(' ');
  const result = run(text);
  const people = Object.fromEntries(result.people.map((p) => [p.name, p.mentions]));
  const orgs = Object.fromEntries(result.organizations.map((o) => [o.name, o.mentions]));

  it('finds people after titles and counts their surname-only mentions', () => {
    expect(people['Judith Collins']).toBe(3);
    expect(people['Christopher Luxon']).toBe(2);
    expect(Object.keys(people)).not.toContain('Collins');
    expect(Object.keys(people)).not.toContain('New Zealand Defense Minister Judith Collins');
  });

  it('finds organisations by suffix, known names and acronyms', () => {
    expect(orgs['Maritime Self-Defense Force']).toBe(1);
    expect(orgs['NATO']).toBe(1);
    expect(orgs['Royal New Zealand Navy']).toBe(1);
  });

  it('does not take places, sentence starts or months for names', () => {
    const names = [...result.people, ...result.organizations].map((e) => e.name);
    for (const wrong of ['New Zealand', 'Japan', 'Wellington', 'Monday', 'The Royal New Zealand Navy']) expect(names).not.toContain(wrong);
  });

  it('leaves party and office words out of names', () => {
    const r = run('Voters backed Republican Phil Bryant in March, and the Senate Leader said little about it.');
    expect(r.people.map((p) => p.name)).toEqual(['Phil Bryant']);
  });

  it('keeps a single name given with a title', () => {
    const r = run("Japan's Emperor Naruhito met Lithuanian President Gitanas Nauseda at the palace on Monday, officials said.");
    expect(r.people.map((p) => p.name).sort()).toEqual(['Gitanas Nauseda', 'Naruhito']);
  });
});
