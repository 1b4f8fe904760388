/** `copydesk search`, `cluster`, `review` and `export`: read the output store, whichever it is. */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Config } from '../../src/config.js';
import type { Logger } from '../../src/logger.js';
import { createStore } from '../runtime.js';
import type { ArticleStore } from '../../src/store/types.js';
import type { Article } from '../../src/schema/article.js';

export async function runSearch(config: Config, logger: Logger, query: string, opts: { limit: number; json?: boolean }): Promise<void> {
  await listArticles(config, logger, (store) => store.search(query, opts.limit), opts, 'result(s)');
}

/** A story's copies: the canonical article first, then its duplicates. */
export async function runCluster(config: Config, logger: Logger, clusterId: string, opts: { json?: boolean }): Promise<void> {
  await listArticles(config, logger, (store) => store.clusterMembers(clusterId), opts, `article(s) in cluster ${clusterId}`);
}

async function listArticles(config: Config, logger: Logger, read: (store: ArticleStore) => Promise<Article[]>, opts: { json?: boolean }, what: string): Promise<void> {
  const store = await createStore(config, logger);
  try {
    const articles = await read(store);
    for (const a of articles) {
      const copy = a.dedupe.duplicateOf ? `copy of ${a.dedupe.duplicateOf} (${a.dedupe.method} ${a.dedupe.similarity})` : 'canonical';
      process.stdout.write(
        opts.json
          ? `${JSON.stringify(a)}\n`
          : `${a.id}  ${(a.publishedAt ?? '').slice(0, 10).padEnd(10)}  ${(a.source ?? '').slice(0, 18).padEnd(18)}  ${a.title}  [${copy}]\n`,
      );
    }
    if (!opts.json) process.stderr.write(`${articles.length} ${what}\n`);
  } finally {
    await store.close();
  }
}

export async function runExport(config: Config, logger: Logger, opts: { output?: string }): Promise<void> {
  const n = await writeRows(config, logger, opts.output, (article) => article);
  process.stderr.write(`exported ${n} article(s)\n`);
}

/**
 * The articles whose topics the classifier was unsure of (needsReview), or every article with
 * `all`, as rows `copydesk train` reads: {"id", "title", "text", "label": "", "suggested"}. A
 * person fills in each label (a medtop code or alias; `suggested` holds the classifier's
 * guesses, best first), and the file, with earlier training data, trains the next model.
 */
export async function runReview(config: Config, logger: Logger, opts: { output?: string; all?: boolean }): Promise<void> {
  const n = await writeRows(config, logger, opts.output, (a) => (opts.all || a.needsReview ? reviewRow(a) : null));
  process.stderr.write(`${n} article(s) to review: fill in each "label", then \`copydesk train <file> --out model.json\`\n`);
}

function reviewRow(a: Article) {
  const suggested = a.topics.filter((t) => t.level !== 2).map((t) => ({ code: t.code, label: t.label, score: t.score, terms: t.terms }));
  return { id: a.id, title: a.title, text: a.body, label: '', suggested, language: a.language };
}

/** Every stored article `toRow` makes a row of (null: skipped), as JSON lines to `output` or stdout; returns the rows written. */
async function writeRows(config: Config, logger: Logger, output: string | undefined, toRow: (a: Article) => unknown): Promise<number> {
  const store = await createStore(config, logger);
  const out = output ? createWriteStream(output) : process.stdout;
  let n = 0;
  try {
    for await (const article of store.all()) {
      const row = toRow(article);
      if (row === null) continue;
      if (!out.write(`${JSON.stringify(row)}\n`)) await once(out, 'drain');
      n++;
    }
  } finally {
    await store.close();
    if (output) await new Promise<void>((resolve) => out.end(() => resolve()));
  }
  return n;
}
