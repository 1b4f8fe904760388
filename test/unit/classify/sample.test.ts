import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ClassificationSchema } from '../../../src/schema/pipeline.js';
import { classify } from '../../../src/classify/index.js';

// The real aggregator dump kept in the repo (same bytes as ../shared/samples/000_e653bf6b0ede578c.txt).
const SAMPLE = path.resolve(import.meta.dirname, '../../../samples/aggregator-dump.txt');
const lines = existsSync(SAMPLE) ? readFileSync(SAMPLE, 'utf8').split('\n') : [];
const lineStarting = (prefix: string) => lines.findIndex((l) => l.startsWith(prefix));

describe.skipIf(!lines.length)('classify on the sample dump', () => {
  it('main article: politics or conflict/defence, NZ/JP/CN/TW, Judith Collins', () => {
    const title = lines[lineStarting('New Zealand looking at new ways')]!;
    const end = lineStarting('Hashtags');
    const body = lines.slice(lineStarting('New Zealand looking at new ways') + 1, end).filter((l) => l.trim());
    const result = ClassificationSchema.parse(classify({ title, paragraphs: body }));
    expect(['medtop:11000000', 'medtop:16000000']).toContain(result.topics[0]?.code);
    const topLevel = result.topics.filter((t) => t.level === 1);
    expect(topLevel.length).toBeLessThanOrEqual(3);
    expect(topLevel.map((t) => t.score)).toEqual([...topLevel.map((t) => t.score)].sort((a, b) => b - a));
    const places = result.places.map((p) => p.code);
    for (const code of ['NZ', 'JP', 'CN', 'TW']) expect(places).toContain(code);
    expect(result.people.map((p) => p.name)).toContain('Judith Collins');
    expect(result.organizations.map((o) => o.name)).toEqual(expect.arrayContaining(['NATO', 'Maritime Self-Defense Force']));
    expect(result.language.code).toBe('en');
  });

  it('NHK article is economy', () => {
    const at = lineStarting('US tariffs leave Indonesia');
    const result = classify({ title: lines[at]!, paragraphs: [lines[at + 1]!] });
    expect(result.topics[0]?.code).toBe('medtop:04000000');
    expect(result.topics[0]?.terms).toContain('tariffs');
  });

  it('Hong Kong tourism article places include HK', () => {
    const at = lineStarting('Can big stars bring');
    const result = classify({ title: lines[at]!, paragraphs: [lines[at + 1]!] });
    expect(result.places[0]?.code).toBe('HK');
  });
});
