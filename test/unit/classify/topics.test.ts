import { describe, expect, it } from 'vitest';
import { ClassificationSchema } from '../../../src/schema/pipeline.js';
import { classify } from '../../../src/classify/index.js';

const sport = {
  title: 'Late goal sends United into cup final',
  paragraphs: ['A stoppage-time goal from the striker sent the club into the cup final after a tense semi-final at a packed stadium. The coach praised his squad, and the goalkeeper saved a penalty in the first half of the match.'],
};

describe('topics', () => {
  it('gives at most three scored topics, best first, with the terms that weighed most', () => {
    const result = ClassificationSchema.parse(classify(sport));
    expect(result.topics[0]).toMatchObject({ code: 'medtop:15000000', label: 'sport', level: 1 });
    const topLevel = result.topics.filter((t) => t.level === 1);
    expect(topLevel.length).toBeLessThanOrEqual(3);
    const scores = topLevel.map((t) => t.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(result.topics[0]!.terms).toEqual(expect.arrayContaining(['goal', 'cup']));
    expect(result.needsReview).toBe(false);
  });

  it('flags vague or mixed text for review', () => {
    const vague = classify({ title: 'A day out', paragraphs: ['People went out on Saturday and said they had a nice time with friends and family, then went home again in the evening.'] });
    expect(vague.needsReview).toBe(true);
    const mixed = classify({
      title: 'Minister opens stadium',
      paragraphs: ['The sports minister and the prime minister opened the new football stadium, where the club will play its league matches, and the government promised more money for the party faithful at the next election.'],
    });
    expect(mixed.topics.map((t) => t.code)).toEqual(expect.arrayContaining(['medtop:15000000', 'medtop:11000000']));
    expect(mixed.needsReview).toBe(true);
  });

  it('gives no topic to a text too short to judge', () => {
    const result = classify({ title: 'Update', paragraphs: ['More soon from our reporters.'] });
    expect(result.topics).toEqual([]);
    expect(result.needsReview).toBe(true);
  });
});
