/**
 * The review loop: `copydesk review` writes the articles the classifier flagged as rows to
 * label, `copydesk train` refuses them until every label is filled in, then trains on them, and
 * the model it writes is the one `copydesk process` classifies with (COPYDESK_MODEL).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { FsStore } from '../../src/store/fs.js';
import { makeArticle } from '../helpers/article-factory.js';
import { runCli } from '../helpers/cli.js';

const NO_REDIS = { REDIS_URL: 'redis://127.0.0.1:1' };
const SPORT = 'The striker scored twice as the club beat its rivals in the league final. The coach praised the goalkeeper and the fans sang in the stadium.';
const WEATHER = 'Forecasters warned of heavy rain, strong winds and flooding along the coast. A storm front will bring snow to the hills and cold temperatures.';

interface ReviewRow {
  id: string;
  title: string;
  text: string;
  label: string;
  suggested: { code: string; score: number }[];
}

describe('copydesk review → copydesk train', () => {
  let dir: string;
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('exports flagged articles to label, and trains a model the pipeline then uses', { timeout: 120_000 }, async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'copydesk-review-'));
    const out = path.join(dir, 'out');
    const store = new FsStore(out);
    await store.init();
    const flagged = [
      ...[0, 1, 2].map((i) => ({ ...makeArticle({ key: `sport-${i}`, title: `Match report ${i}`, body: `${SPORT} Report ${i}.` }), needsReview: true })),
      ...[0, 1, 2].map((i) => ({ ...makeArticle({ key: `weather-${i}`, title: `Forecast ${i}`, body: `${WEATHER} Bulletin ${i}.` }), needsReview: true })),
    ];
    const confident = makeArticle({ key: 'confident', body: 'Parliament passed the budget bill.' });
    await store.upsert([...flagged, confident]);
    await store.close();

    const toReview = path.join(dir, 'review.jsonl');
    const review = runCli(['review', '--out', out, '--output', toReview], NO_REDIS);
    expect(review.status, review.stderr).toBe(0);
    const rows = (await readFile(toReview, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as ReviewRow);
    expect(rows.map((r) => r.id).sort()).toEqual(flagged.map((a) => a.id).sort());
    for (const r of rows) {
      expect(r.label).toBe('');
      expect(r.text).toContain(r.title.startsWith('Match') ? 'striker' : 'Forecasters');
      expect(r.suggested[0]).toMatchObject({ code: expect.stringMatching(/^medtop:\d{8}$/) });
    }
    expect(runCli(['review', '--all', '--out', out], NO_REDIS).stdout.trim().split('\n')).toHaveLength(flagged.length + 1);

    // unlabelled rows are refused, naming the line
    const model = path.join(dir, 'model.json');
    const refused = runCli(['train', toReview, '--out', model]);
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toMatch(/line 1|example 1|unknown label/);

    // a person fills in the labels: sport, and weather
    const labelled = path.join(dir, 'labelled.jsonl');
    await writeFile(labelled, rows.map((r) => JSON.stringify({ ...r, label: r.title.startsWith('Match') ? 'medtop:15000000' : 'medtop:17000000' })).join('\n'));
    const trained = runCli(['train', labelled, '--out', model]);
    expect(trained.status, trained.stderr).toBe(0);
    const m = JSON.parse(await readFile(model, 'utf8')) as { classes: string[] };
    expect(m.classes.sort()).toEqual(['medtop:15000000', 'medtop:17000000']);

    // the pipeline classifies with it
    const doc = path.join(dir, 'storm.txt');
    await writeFile(doc, `Storm warning for the coast\n\n${WEATHER} Officials urged residents to stay indoors as the rain continued through the night and rivers rose.`);
    const processed = runCli(['process', doc, '--stdout'], { ...NO_REDIS, COPYDESK_MODEL: model });
    expect(processed.status, processed.stderr).toBe(0);
    const [article] = processed.stdout.trim().split('\n').map((l) => JSON.parse(l) as { topics: { code: string }[] });
    expect(article!.topics.map((t) => t.code)).toContain('medtop:17000000');
  });
});
