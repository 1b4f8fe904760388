/**
 * A fixed, generated mixed corpus for the speed benchmarks: HTML pages, text dumps and JSONL
 * files of plausible news articles. Seeded, so every run measures the same bytes.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { seededRandom } from '../../../src/random.js';

const WORDS = (
  'the government said on monday that its economy grew faster than expected in the last quarter as exports ' +
  'of cars and machinery rose while the central bank kept interest rates unchanged analysts at several banks ' +
  'expect inflation to ease later this year but warned that energy prices remain volatile the minister told ' +
  'reporters in the capital that new measures would support small businesses and households hit by higher costs ' +
  'opposition leaders criticised the plan saying it did little for workers in rural regions where unemployment ' +
  'is still high the team won the championship after a dramatic final in which their captain scored twice ' +
  'researchers at the university published a study showing that the new vaccine reduced hospital admissions ' +
  'the company announced record profits and plans to hire thousands of engineers for its software division ' +
  'police said the storm caused flooding across the coast and thousands of homes were left without power ' +
  'the festival attracted visitors from around the world with concerts exhibitions and films over ten days'
).split(' ');

export const rng = seededRandom;

function sentence(r: () => number): string {
  const n = 12 + Math.floor(r() * 14);
  const words = Array.from({ length: n }, () => WORDS[Math.floor(r() * WORDS.length)]!);
  const s = words.join(' ');
  return `${s[0]!.toUpperCase()}${s.slice(1)}.`;
}

export interface GeneratedArticle {
  title: string;
  paragraphs: string[];
}

export function article(r: () => number, i: number): GeneratedArticle {
  const paragraphs = Array.from({ length: 4 + Math.floor(r() * 6) }, () =>
    Array.from({ length: 2 + Math.floor(r() * 3) }, () => sentence(r)).join(' '),
  );
  return { title: `${sentence(r).slice(0, 60).replace(/\.$/, '')} ${i}`, paragraphs };
}

function html(a: GeneratedArticle): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${a.title} | Daily News</title>
<meta property="og:title" content="${a.title}"></head><body>
<header><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/business">Business</a></nav></header>
<main><article><h1>${a.title}</h1><p class="byline">By Staff Reporter</p>
${a.paragraphs.map((p) => `<p>${p}</p>`).join('\n')}
</article><aside class="related"><h3>Related</h3><ul><li><a href="/a">Other story one</a></li><li><a href="/b">Other story two</a></li></ul></aside></main>
<footer><p>© 2025 Daily News. All rights reserved.</p><div class="newsletter">Sign up for our newsletter</div></footer></body></html>`;
}

function textDump(a: GeneratedArticle): string {
  return `${a.title}\n${a.paragraphs.join('\n')}\nShare\nComments\nNo comments yet...\n`;
}

export interface CorpusSummary {
  dir: string;
  files: number;
  articles: number;
  bytes: number;
}

/** Writes `articles` articles as a mix: 40% HTML pages, 30% text dumps, 30% in JSONL files of 50. */
export async function writeCorpus(dir: string, articles: number, seed = 42): Promise<CorpusSummary> {
  await mkdir(dir, { recursive: true });
  const r = rng(seed);
  let files = 0;
  let bytes = 0;
  let jsonl: string[] = [];
  const flushJsonl = async () => {
    if (!jsonl.length) return;
    const content = `${jsonl.join('\n')}\n`;
    await writeFile(path.join(dir, `records-${String(files).padStart(5, '0')}.jsonl`), content);
    files++;
    bytes += content.length;
    jsonl = [];
  };
  for (let i = 0; i < articles; i++) {
    const a = article(r, i);
    const kind = i % 10;
    if (kind < 4) {
      const content = html(a);
      await writeFile(path.join(dir, `page-${String(i).padStart(5, '0')}.html`), content);
      files++;
      bytes += content.length;
    } else if (kind < 7) {
      const content = textDump(a);
      await writeFile(path.join(dir, `dump-${String(i).padStart(5, '0')}.txt`), content);
      files++;
      bytes += content.length;
    } else {
      jsonl.push(JSON.stringify({ id: `rec-${i}`, url: `https://news.example/${i}`, title: a.title, text: a.paragraphs.join('\n\n'), published: '2025-06-09T07:54:00Z', source: 'Example Wire' }));
      if (jsonl.length === 50) await flushJsonl();
    }
  }
  await flushJsonl();
  return { dir, files, articles, bytes };
}
