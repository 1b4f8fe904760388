import type { Article } from '../schema/article.js';
import type { Dropped } from '../stages/drop.js';
import type { SourceFile } from '../schema/pipeline.js';

/**
 * The output store. Writes are upserts by article id, so a retried job never duplicates.
 * Implementations: the filesystem (default) and PostgreSQL.
 */
export interface ArticleStore {
  /** Creates folders / applies migrations. Idempotent. */
  init(): Promise<void>;
  upsert(articles: readonly Article[]): Promise<void>;
  get(id: string): Promise<Article | null>;
  /** Every stored article, in no particular order; streams, never loads all at once. */
  all(): AsyncIterable<Article>;
  count(): Promise<number>;
  /** The canonical article first, then its duplicates in the order they were captured. */
  clusterMembers(clusterId: string): Promise<Article[]>;
  search(query: string, limit: number): Promise<Article[]>;
  /** Keeps what a stage dropped where a person can see it. */
  putDropped(file: SourceFile, dropped: readonly Dropped[]): Promise<void>;
  close(): Promise<void>;
}
