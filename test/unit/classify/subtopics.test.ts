import { describe, expect, it } from 'vitest';
import { ClassificationSchema } from '../../../src/schema/pipeline.js';
import { classify } from '../../../src/classify/index.js';
import { LEXICON, SUBTOPICS, subtopicsSchemaFor, THRESHOLDS } from '../../../src/classify/rules.js';
import subtopicsJson from '../../../src/classify/data/iptc-subtopics.json' with { type: 'json' };

const football = {
  title: 'Striker scores twice as United beat City in Premier League derby',
  paragraphs: [
    'The striker scored two goals in the first half and the goalkeeper saved a penalty as United beat City 3-1 in the Premier League football match on Sunday.',
    'The midfielder set up the opening goal with a header, and the winger added a third after the break. The defender was booked for a late tackle.',
    'The manager said the squad had played its best football of the season and that the club would now focus on the next league game.',
  ],
};

const centralBank = {
  title: 'Central bank raises interest rates to curb inflation',
  paragraphs: [
    'The central bank raised its main interest rate by a quarter of a point on Thursday, its third rate rise this year, as inflation stayed well above its target.',
    'Policymakers said monetary policy would stay tight until inflation fell, although economists warned that higher interest rates could tip the economy into recession.',
    'Growth in gross domestic product slowed to 0.2% in the last quarter, and the currency rose after the decision.',
  ],
};

const level1 = <T extends { level: number }>(topics: readonly T[]) => topics.filter((t) => t.level === 1);

describe('second-level topics', () => {
  it('a football report gets sport and, right after it, competition discipline (soccer is level 3 under it)', () => {
    const result = ClassificationSchema.parse(classify(football));
    expect(result.topics[0]).toMatchObject({ code: 'medtop:15000000', level: 1 });
    expect(result.topics[1]).toMatchObject({ code: 'medtop:20000822', label: 'competition discipline', level: 2 });
    expect(result.topics[1]!.score).toBeLessThanOrEqual(result.topics[0]!.score);
    expect(result.topics[1]!.terms).toEqual(expect.arrayContaining(['football']));
  });

  it('a central-bank rate decision gets economy, business and finance, then economy', () => {
    const result = ClassificationSchema.parse(classify(centralBank));
    expect(result.topics[0]).toMatchObject({ code: 'medtop:04000000', level: 1 });
    expect(result.topics[1]).toMatchObject({ code: 'medtop:20000344', label: 'economy', level: 2 });
    expect(result.topics[1]!.terms).toEqual(expect.arrayContaining(['central bank']));
  });

  it('keeps at most three top-level topics, best first, each subtopic right after its parent', () => {
    for (const input of [football, centralBank]) {
      const { topics } = classify(input);
      const top = level1(topics);
      expect(top.length).toBeLessThanOrEqual(THRESHOLDS.topics.maxTopics);
      expect(top.map((t) => t.score)).toEqual([...top.map((t) => t.score)].sort((a, b) => b - a));
      topics.forEach((t, i) => {
        if (t.level !== 2) return;
        const parent = topics[i - 1]!;
        expect(parent.level).toBe(1);
        expect(SUBTOPICS.subtopics.find((s) => s.code === t.code)?.parent).toBe(parent.code);
      });
    }
  });

  it('gives no subtopic to vague or short text', () => {
    const vague = classify({ title: 'A day out', paragraphs: ['People went out on Saturday and said they had a nice time with friends and family, then went home again in the evening.'] });
    expect(vague.topics.filter((t) => t.level === 2)).toEqual([]);
    const short = classify({ title: 'Match report', paragraphs: ['The team won the match on Saturday and the fans went home happy after the final whistle.'] });
    expect(short.topics.filter((t) => t.level === 2)).toEqual([]);
  });

  it('gives no subtopic to non-English text', () => {
    const result = classify({
      title: 'Der Stürmer erzielt zwei Tore',
      paragraphs: ['Der Stürmer erzielte in der ersten Halbzeit zwei Tore, und der Torwart hielt einen Elfmeter, als die Mannschaft das Fußballspiel in der Liga gewann.'],
    });
    expect(result.topics).toEqual([]);
  });
});

describe('iptc-subtopics.json', () => {
  const topLevel = new Set(LEXICON.topics.map((t) => t.code));

  it('validates: codes unique, second-level, every parent one of the 17 top-level codes', () => {
    expect(topLevel.size).toBe(17);
    expect(subtopicsSchemaFor(LEXICON).safeParse(subtopicsJson).success).toBe(true);
    const codes = SUBTOPICS.subtopics.map((s) => s.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const s of SUBTOPICS.subtopics) {
      expect(s.code).toMatch(/^medtop:2\d{7}$/);
      expect(topLevel.has(s.parent)).toBe(true);
    }
    // Every top-level topic has children to choose from.
    expect(new Set(SUBTOPICS.subtopics.map((s) => s.parent))).toEqual(topLevel);
  });

  it('rejects an unknown parent and a duplicate code', () => {
    const one = SUBTOPICS.subtopics[0]!;
    const schema = subtopicsSchemaFor(LEXICON);
    expect(schema.safeParse({ subtopics: [{ ...one, parent: 'medtop:99000000' }] }).success).toBe(false);
    expect(schema.safeParse({ subtopics: [one, one] }).success).toBe(false);
  });
});
