/** `copydesk search` and `copydesk export`: read the output store, whichever it is. */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Config } from '../../src/config.js';
import type { Logger } from '../../src/logger.js';
import { createStore } from '../runtime.js';

export async function runSearch(config: Config, logger: Logger, query: string, opts: { limit: number; json?: boolean }): Promise<void> {
  const store = await createStore(config, logger);
  try {
    const hits = await store.search(query, opts.limit);
    for (const a of hits) {
      process.stdout.write(
        opts.json
          ? `${JSON.stringify(a)}\n`
          : `${a.id}  ${(a.publishedAt ?? '').slice(0, 10).padEnd(10)}  ${(a.source ?? '').slice(0, 18).padEnd(18)}  ${a.title}\n`,
      );
    }
    if (!opts.json) process.stderr.write(`${hits.length} result(s)\n`);
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
