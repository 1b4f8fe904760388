import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { ArticleSchema, type Article } from '../../src/schema/article.js';

/** Every article record in an out/ folder, validated against the output schema. */
export async function readArticles(outDir: string): Promise<Article[]> {
  const root = path.join(outDir, 'articles');
  const shards = await readdir(root).catch(() => [] as string[]);
  const articles: Article[] = [];
  for (const shard of shards) {
    for (const name of await readdir(path.join(root, shard)).catch(() => [] as string[])) {
      if (!name.endsWith('.json') || name.startsWith('.')) continue;
      articles.push(ArticleSchema.parse(JSON.parse(await readFile(path.join(root, shard, name), 'utf8'))));
    }
  }
  return articles;
}

export async function listDir(dir: string): Promise<string[]> {
  return (await readdir(dir).catch(() => [] as string[])).sort();
}
