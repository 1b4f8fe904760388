/**
 * The production output store: PostgreSQL (`COPYDESK_STORE=postgres`, `DATABASE_URL`).
 *
 * Typed columns for querying, the full record as jsonb for reading back, a generated
 * tsvector for search. Writes are upserts by id inside one transaction per call, so a
 * retried store job never duplicates an article. Connection trouble surfaces as transient
 * E_STORE_UNAVAILABLE errors (retried by BullMQ); the schema is migrated by init().
 */
import pg from 'pg';
import { ArticleSchema, type Article } from '../schema/article.js';
import type { Dropped } from '../stages/drop.js';
import type { SourceFile } from '../schema/pipeline.js';
import type { Logger } from '../logger.js';
import { badInput, ERROR_CODES } from '../errors.js';
import type { ArticleStore } from './types.js';
import { migrate, SEARCH_CONFIG } from './migrations.js';
import { isBrokenConnection, isTransientPgError, storeError } from './pg-errors.js';
import { ARTICLE_COLUMNS, DROPPED_COLUMNS, upsertStatement, type DroppedRow } from './pg-rows.js';

export interface PostgresStoreOptions {
  connectionString: string;
  logger?: Logger;
  /** Connections per process; every worker process has its own pool. */
  poolSize?: number;
  /** How long to wait for a connection before calling the store unavailable. */
  connectTimeoutMs?: number;
  /** How long one query may wait for its answer: a silent network must not hang a store job. */
  queryTimeoutMs?: number;
  /** Rows per page when streaming all(). */
  pageSize?: number;
}

/** $1 the query in web-search syntax, $2 the limit. Exported so a test can check its plan uses the GIN index. */
export const SEARCH_SQL = `
  SELECT record FROM articles, websearch_to_tsquery('${SEARCH_CONFIG}', $1) AS q
   WHERE search @@ q
   ORDER BY ts_rank_cd(search, q) DESC, published_at DESC NULLS LAST, id
   LIMIT $2`;

const DEFAULTS = { poolSize: 4, connectTimeoutMs: 5_000, queryTimeoutMs: 60_000, pageSize: 500 } as const;

export class PostgresStore implements ArticleStore {
  private readonly pool: pg.Pool;
  private readonly logger: Logger | undefined;
  private readonly pageSize: number;
  private closed = false;

  constructor(private readonly opts: PostgresStoreOptions) {
    this.logger = opts.logger;
    this.pageSize = opts.pageSize ?? DEFAULTS.pageSize;
    this.pool = new pg.Pool({
      connectionString: opts.connectionString,
      max: opts.poolSize ?? DEFAULTS.poolSize,
      connectionTimeoutMillis: opts.connectTimeoutMs ?? DEFAULTS.connectTimeoutMs,
      query_timeout: opts.queryTimeoutMs ?? DEFAULTS.queryTimeoutMs,
      keepAlive: true,
      application_name: 'copydesk',
    });
    // An idle connection dropped by a server restart emits here; unhandled, it would crash the worker.
    this.pool.on('error', (err) => this.logger?.warn({ err: err.message }, 'postgres: idle connection lost'));
  }

  /**
   * On its own connection, free of the query timeout: a migration, or waiting for another
   * worker's migration behind the advisory lock, may rightly take longer than one query.
   */
  async init(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.opts.connectionString,
      connectionTimeoutMillis: this.opts.connectTimeoutMs ?? DEFAULTS.connectTimeoutMs,
      application_name: 'copydesk-migrate',
    });
    // A lost connection also rejects the pending query; this only keeps it from crashing the process.
    client.on('error', (err) => this.logger?.warn({ err: err.message }, 'postgres: migration connection lost'));
    try {
      await client.connect();
      const applied = await migrate(client);
      if (applied.length) this.logger?.info({ versions: applied }, 'postgres: migrations applied');
    } catch (err) {
      throw storeError('apply migrations', err);
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  async upsert(articles: readonly Article[]): Promise<void> {
    if (articles.length === 0) return;
    const rows = uniqueById(articles.map(validRecord));
    const statement = upsertStatement('articles', ARTICLE_COLUMNS, ['id'], rows, { touch: 'updated_at', skipUnchanged: 'record' });
    await this.inTransaction(`upsert ${rows.length} article(s)`, (client) => client.query(statement));
  }

  async get(id: string): Promise<Article | null> {
    const { rows } = await this.query<{ record: unknown }>('get an article', 'SELECT record FROM articles WHERE id = $1', [id]);
    return rows[0] ? ArticleSchema.parse(rows[0].record) : null;
  }

  /** Keyset pages by id: constant memory and no long-held cursor or transaction. */
  async *all(): AsyncIterable<Article> {
    let after = '';
    for (;;) {
      const { rows } = await this.query<{ id: string; record: unknown }>(
        'read articles',
        'SELECT id, record FROM articles WHERE id > $1 ORDER BY id LIMIT $2',
        [after, this.pageSize],
      );
      for (const row of rows) yield ArticleSchema.parse(row.record);
      if (rows.length < this.pageSize) return;
      after = rows[rows.length - 1]!.id;
    }
  }

  async count(): Promise<number> {
    const { rows } = await this.query<{ n: string }>('count articles', 'SELECT count(*) AS n FROM articles');
    return Number(rows[0]?.n ?? 0);
  }

  /** The canonical copy first, then its duplicates in the order they arrived. */
  async clusterMembers(clusterId: string): Promise<Article[]> {
    const { rows } = await this.query<{ record: unknown }>(
      'read a cluster',
      'SELECT record FROM articles WHERE cluster_id = $1 ORDER BY (duplicate_of IS NOT NULL), stored_at, id',
      [clusterId],
    );
    return rows.map((r) => ArticleSchema.parse(r.record));
  }

  /** Web-search syntax ("quoted phrases", -excluded, or); title hits weigh more than body hits. */
  async search(query: string, limit: number): Promise<Article[]> {
    if (!query.trim() || limit <= 0) return [];
    const { rows } = await this.query<{ record: unknown }>('search articles', SEARCH_SQL, [query, Math.floor(limit)]);
    return rows.map((r) => ArticleSchema.parse(r.record));
  }

  async putDropped(file: SourceFile, dropped: readonly Dropped[]): Promise<void> {
    if (dropped.length === 0) return;
    const byKey = new Map<string, DroppedRow>();
    for (const d of dropped) byKey.set(`${d.stage}\u0000${d.key}`, { ...d, file });
    const statement = upsertStatement('dropped', DROPPED_COLUMNS, ['file_sha256', 'stage', 'key'], [...byKey.values()]);
    await this.query(`record ${byKey.size} dropped item(s)`, statement.text, statement.values);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }

  private query<R extends pg.QueryResultRow>(action: string, text: string, values?: unknown[]): Promise<pg.QueryResult<R>> {
    return this.withRetry(action, () => this.pool.query<R>(text, values));
  }

  private inTransaction<T>(action: string, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    return this.withRetry(action, () => this.transaction(fn));
  }

  /**
   * Every statement here is idempotent (upserts and reads), so one that died with its
   * connection (typically a pooled connection the server closed while it sat idle, after a
   * restart or failover) is retried once at once on a fresh connection. Anything else, or a
   * second failure, goes back to the caller, and BullMQ's backoff.
   */
  private async withRetry<T>(action: string, op: () => Promise<T>): Promise<T> {
    try {
      return await op();
    } catch (first) {
      if (!isBrokenConnection(first)) throw storeError(action, first);
      this.logger?.warn({ err: (first as Error).message }, `postgres: connection lost, retrying once: ${action}`);
      try {
        return await op();
      } catch (err) {
        throw storeError(action, err);
      }
    }
  }

  private async transaction<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const result = await fn(client);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      // A connection that failed mid-transaction must not go back to the pool; others roll back.
      if (err instanceof Error && isTransientPgError(err)) broken = err;
      else await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release(broken);
    }
  }
}

/** Validated before every write, like every store; a bad record is bad input, not retried. */
function validRecord(article: Article): Article {
  const parsed = ArticleSchema.safeParse(article);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
  throw badInput(ERROR_CODES.INVALID_RECORD, `article ${String((article as { id?: unknown }).id)} is not a valid record: ${problems}`);
}

/**
 * Last write wins inside one batch (one statement cannot update a row twice), and rows go
 * in id order so concurrent batches lock rows in the same order and cannot deadlock.
 */
function uniqueById(articles: readonly Article[]): Article[] {
  const byId = new Map<string, Article>();
  for (const a of articles) byId.set(a.id, a);
  return [...byId.values()].sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
}
