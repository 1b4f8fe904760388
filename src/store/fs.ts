/**
 * The default output store: one JSON file per article under <out>/articles/<id[0..2]>/<id>.json,
 * written atomically (temp file + rename), so an upsert is a rename over the old record.
 * What stages dropped goes under <out>/dropped/<file sha256>/.
 */
import { mkdir, opendir, readFile, access } from 'node:fs/promises';
import path from 'node:path';
import { ArticleSchema, type Article } from '../schema/article.js';
import { transient, ERROR_CODES } from '../errors.js';
import { writeFileAtomic } from '../fsutil/atomic.js';
import type { Dropped } from '../stages/drop.js';
import type { SourceFile } from '../schema/pipeline.js';
import type { ArticleStore } from './types.js';

export class FsStore implements ArticleStore {
  private readonly articlesDir: string;
  private readonly droppedDir: string;

  constructor(private readonly outDir: string) {
    this.articlesDir = path.join(outDir, 'articles');
    this.droppedDir = path.join(outDir, 'dropped');
  }

  private pathOf(id: string): string {
    return path.join(this.articlesDir, id.slice(0, 2), `${id}.json`);
  }

  async init(): Promise<void> {
    await mkdir(this.articlesDir, { recursive: true });
    await mkdir(this.droppedDir, { recursive: true });
  }

  /** The batch's records are written side by side (the disk's latency, not its throughput, bounds a batch). */
  async upsert(articles: readonly Article[]): Promise<void> {
    const valid = articles.map((a) => ArticleSchema.parse(a));
    const writes = await Promise.allSettled(valid.map((a) => writeFileAtomic(this.pathOf(a.id), `${JSON.stringify(a, null, 2)}\n`)));
    const i = writes.findIndex((w) => w.status === 'rejected');
    if (i >= 0) {
      const err = (writes[i] as PromiseRejectedResult).reason as Error;
      // A full disk or a read-only mount may be fixed by a person: retry, do not fail the file.
      throw transient(ERROR_CODES.STORE_UNAVAILABLE, `cannot write ${this.pathOf(valid[i]!.id)}: ${err.message}`, err);
    }
  }

  async get(id: string): Promise<Article | null> {
    try {
      return ArticleSchema.parse(JSON.parse(await readFile(this.pathOf(id), 'utf8')));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }

  async *all(): AsyncIterable<Article> {
    try {
      await access(this.articlesDir);
    } catch {
      return;
    }
    for await (const shard of await opendir(this.articlesDir)) {
      if (!shard.isDirectory()) continue;
      for await (const entry of await opendir(path.join(this.articlesDir, shard.name))) {
        if (!entry.isFile() || !entry.name.endsWith('.json') || entry.name.startsWith('.')) continue;
        const text = await readFile(path.join(this.articlesDir, shard.name, entry.name), 'utf8');
        yield ArticleSchema.parse(JSON.parse(text));
      }
    }
  }

  async count(): Promise<number> {
    let n = 0;
    for await (const _ of this.all()) n++;
    return n;
  }

  async clusterMembers(clusterId: string): Promise<Article[]> {
    const members: Article[] = [];
    for await (const a of this.all()) if (a.dedupe.clusterId === clusterId) members.push(a);
    const rank = (a: Article) => (a.dedupe.duplicateOf ? 1 : 0);
    return members.sort((x, y) => rank(x) - rank(y) || x.capturedAt.localeCompare(y.capturedAt) || x.id.localeCompare(y.id));
  }

  /** A plain scan: every query term must appear in the title or body (case-insensitive). */
  async search(query: string, limit: number): Promise<Article[]> {
    const terms = query.toLowerCase().split(/\s+/).filter(Boolean);
    const hits: { article: Article; score: number }[] = [];
    for await (const a of this.all()) {
      const title = a.title.toLowerCase();
      const body = a.body.toLowerCase();
      if (!terms.every((t) => title.includes(t) || body.includes(t))) continue;
      const score = terms.reduce((s, t) => s + (title.includes(t) ? 5 : 0) + body.split(t).length - 1, 0);
      hits.push({ article: a, score });
    }
    return hits.sort((x, y) => y.score - x.score).slice(0, limit).map((h) => h.article);
  }

  async putDropped(file: SourceFile, dropped: readonly Dropped[]): Promise<void> {
    for (const d of dropped) {
      const name = `${d.stage}-${d.key.replace(/[^A-Za-z0-9._-]/g, '_')}.json`;
      await writeFileAtomic(
        path.join(this.droppedDir, file.sha256, name),
        `${JSON.stringify({ file: file.name, sha256: file.sha256, ...d }, null, 2)}\n`,
      );
    }
  }

  async close(): Promise<void> {}
}
