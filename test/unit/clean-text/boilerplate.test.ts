/**
 * Main-text detection on dump lines (src/clean/text/boilerplate.ts): what a page's text
 * dump keeps when no phrase list names its furniture.
 */
import { describe, expect, it } from 'vitest';
import { compileTextRules } from '../../../src/clean/rules/text-rules.js';
import { cleanText } from '../../../src/clean/text/index.js';
import rulesData from '../../../src/clean/rules/text-rules.json' with { type: 'json' };

// Each paragraph is long enough (over 200 characters of prose) to count as good text.
const prose = [
  'The council approved the new budget on Tuesday after a long debate about the cost of the tram line, which has doubled since the plan was first put to the voters in a referendum three years ago and approved by a narrow margin.',
  'Opponents said the money would be better spent on buses and on repairing the roads in the outer districts, where many of the residents who voted against the tram live and work and where the buses are often late.',
  'The mayor said the tram would be finished on time and that the city would ask the national government to pay for part of the extra cost, as it has done for other large projects in the region over the years.',
];
const texts = (text: string) => cleanText(text).blocks.filter((b) => b.type !== 'section').map((b) => b.text);
const sections = (text: string) => cleanText(text).blocks.filter((b) => b.type === 'section').map((b) => b.section);

describe('main text of a page dump', () => {
  it('drops a menu above the title but keeps title, byline and date', () => {
    const dump = ['News', 'Sport', 'Culture', 'Opinion', 'Council approves tram budget', 'By Ana Costa', '4 March 2025', ...prose, 'About us', 'Careers', 'Jobs'].join('\n');
    expect(texts(dump)).toEqual(['Council approves tram budget', 'By Ana Costa', '4 March 2025', ...prose]);
  });

  it('keeps an article written one sentence per line', () => {
    const sentences = prose.flatMap((p) => p.split(/(?<=,) /)).map((s) => s.replace(/,$/, '.'));
    const dump = ['Menu', 'Weather', 'Tram budget approved', ...sentences, 'Terms', 'Privacy'].join('\n');
    const kept = texts(dump);
    expect(kept).toEqual(['Tram budget approved', ...sentences]);
  });

  it('a "Related" heading in the menus does not cut the article; a comments heading after it does', () => {
    const dump = ['Related Articles', 'Other story one', 'Other story two', 'Tram budget approved', ...prose, 'Comments', 'Great news for the city, finally something is happening here.'].join('\n');
    expect(sections(dump)).toEqual(['comments']);
    const kept = texts(dump);
    // The teaser titles just above the article's title look like headings and may stay; the article is whole.
    expect(kept.slice(kept.indexOf('Tram budget approved'), kept.indexOf('Tram budget approved') + 4)).toEqual(['Tram budget approved', ...prose]);
    expect(kept.at(-1)).toBe(prose[2]);
  });

  it('a related box inside the article goes, and the article goes on', () => {
    const dump = ['Tram budget approved', prose[0], 'Related', 'Bus fares to rise in May', 'New bridge opens', prose[1], prose[2]].join('\n');
    expect(sections(dump)).toEqual([]);
    expect(texts(dump)).toEqual(['Tram budget approved', ...prose]);
  });

  it('a related list whose items carry times stays a related section, untouched', () => {
    const dump = ['Tram budget approved', ...prose, 'Related Articles', 'NHK', '3 hours ago', 'Short teaser title', 'One line.'].join('\n');
    expect(sections(dump)).toEqual(['related']);
    expect(texts(dump).slice(-4)).toEqual(['NHK', '3 hours ago', 'Short teaser title', 'One line.']);
  });

  it('a teaser box twice on the page (top and bottom) goes, blurbs and all', () => {
    const teaser = 'Harbour plan delayed again after the port authority asked for a new study of the tides, which will take at least another year and cost the city more than the study it ordered the last time it looked at the plan.';
    const dump = ['News', teaser, 'Tram budget approved', ...prose, teaser].join('\n');
    expect(texts(dump)).toEqual(['Tram budget approved', ...prose]);
  });

  it('a prose sentence with few function words still counts as prose when the lines around it are prose', () => {
    const terse = 'Senior captain Maria Lopez finished second in the relay, breaking her school record with two medals overall.';
    const dump = ['Tram budget approved', prose[0], terse, prose[1], 'About us', 'Careers', 'Jobs', 'Weather'].join('\n');
    expect(texts(dump)).toEqual(['Tram budget approved', prose[0], terse, prose[1]]);
  });

  it('a run of teaser titles after the article goes even between good lines', () => {
    const teasers = ['Bus fares to rise in May', 'New bridge opens', 'Five things to do this weekend', 'Mayor answers your questions', 'Photos: the week in pictures'];
    const dump = ['Tram budget approved', prose[0], prose[1], ...teasers, prose[2]].join('\n');
    expect(texts(dump)).toEqual(['Tram budget approved', ...prose]);
  });

  it('keeps a numbered list that follows the article text, with the lines between its items', () => {
    const list = ['1) Tram line A', 'Opens 2026', '2) Tram line B', 'Opens 2028', '3) Bus lanes', 'Opens 2025'];
    const dump = ['Menu', 'Tram budget approved', prose[0], prose[1], ...list, 'About us', 'Careers', 'Jobs'].join('\n');
    expect(texts(dump)).toEqual(['Tram budget approved', prose[0], prose[1], 'Tram line A', 'Opens 2026', 'Tram line B', 'Opens 2028', 'Bus lanes', 'Opens 2025']);
  });

  it('leaves a dump without a single long paragraph alone (a note is not a page)', () => {
    expect(texts('Shopping list\nMilk\nBread\nCall Anna back.')).toEqual(['Shopping list', 'Milk', 'Bread', 'Call Anna back.']);
  });

  it('thresholds are data: with a very high length bar nothing counts as good text and nothing is cut', () => {
    const strict = compileTextRules({ ...rulesData, boilerplate: { ...rulesData.boilerplate, lengthHigh: 100_000 } });
    const dump = ['News', 'Sport', 'Tram budget approved', ...prose].join('\n');
    expect(cleanText(dump, strict).blocks.map((b) => b.text)).toEqual(['News', 'Sport', 'Tram budget approved', ...prose]);
    expect(() => compileTextRules({ ...rulesData, boilerplate: { ...rulesData.boilerplate, clusterShareOfBiggest: 0 } })).toThrow();
  });
});
