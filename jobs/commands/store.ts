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
  const store = await createStore(config, logger);
  const out = opts.output ? createWriteStream(opts.output) : process.stdout;
  let n = 0;
  try {
    for await (const article of store.all()) {
      if (!out.write(`${JSON.stringify(article)}\n`)) await once(out, 'drain');
      n++;
    }
  } finally {
    await store.close();
    if (opts.output) await new Promise<void>((resolve) => out.end(() => resolve()));
  }
  process.stderr.write(`exported ${n} article(s)\n`);
}

/**
 * The articles whose topics the classifier was unsure of (needsReview), or every article with
 * `all`, as rows `copydesk train` reads: {"id", "title", "text", "label": "", "suggested"}. A
 * person fills in each label (a medtop code or alias; `suggested` holds the classifier's
 * guesses, best first), and the file, with earlier training data, trains the next model.
 */
export async function runReview(config: Config, logger: Logger, opts: { output?: string; all?: boolean }): Promise<void> {
  const store = await createStore(config, logger);
  const out = opts.output ? createWriteStream(opts.output) : process.stdout;
  let n = 0;
  try {
    for await (const a of store.all()) {
      if (!opts.all && !a.needsReview) continue;
      const suggested = a.topics.filter((t) => t.level !== 2).map((t) => ({ code: t.code, label: t.label, score: t.score, terms: t.terms }));
      const row = { id: a.id, title: a.title, text: a.body, label: '', suggested, language: a.language };
      if (!out.write(`${JSON.stringify(row)}\n`)) await once(out, 'drain');
      n++;
    }
  } finally {
    await store.close();
    if (opts.output) await new Promise<void>((resolve) => out.end(() => resolve()));
  }
  process.stderr.write(`${n} article(s) to review: fill in each "label", then \`copydesk train <file> --out model.json\`\n`);
}
