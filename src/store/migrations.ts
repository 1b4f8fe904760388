/**
 * Versioned PostgreSQL migrations. Each one runs once, in its own transaction, recorded in
 * `schema_migrations`. Append new versions; never edit an applied one (deployed databases
 * already ran it).
 *
 * Many workers start at once with `--scale worker=N`: a session advisory lock serializes
 * them, so the second one waits and then finds nothing left to do.
 */
import type { ClientBase } from 'pg';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/**
 * The text-search configuration of the `search` column and of queries. One configuration for
 * every language on purpose: index and query must agree, and English stemming is a harmless
 * normalizer on other Latin-script text. (Per-row configurations would defeat the GIN index.)
 */
export const SEARCH_CONFIG = 'english';

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'articles and dropped',
    sql: `
      CREATE TABLE articles (
        id              text PRIMARY KEY,
        title           text NOT NULL,
        source          text,
        original_source text,
        url             text,
        published_at    timestamptz,
        captured_at     timestamptz NOT NULL,
        language        text NOT NULL,
        topics          jsonb NOT NULL,
        places          jsonb NOT NULL,
        people          jsonb NOT NULL,
        organizations   jsonb NOT NULL,
        cluster_id      text NOT NULL,
        duplicate_of    text,
        content_hash    text NOT NULL,
        body            text NOT NULL,
        word_count      integer NOT NULL,
        inbox_file      text NOT NULL,
        inbox_sha256    text NOT NULL,
        role            text NOT NULL,
        parent_id       text,
        schema_version  integer NOT NULL,
        record          jsonb NOT NULL,
        stored_at       timestamptz NOT NULL DEFAULT now(),
        updated_at      timestamptz NOT NULL DEFAULT now(),
        search          tsvector GENERATED ALWAYS AS (
          setweight(to_tsvector('${SEARCH_CONFIG}', title), 'A') ||
          setweight(to_tsvector('${SEARCH_CONFIG}', body), 'B')
        ) STORED
      );
      CREATE INDEX articles_cluster_id_idx   ON articles (cluster_id);
      CREATE INDEX articles_published_at_idx ON articles (published_at);
      CREATE INDEX articles_language_idx     ON articles (language);
      CREATE INDEX articles_topics_idx       ON articles USING gin (topics jsonb_path_ops);
      CREATE INDEX articles_search_idx       ON articles USING gin (search);

      CREATE TABLE dropped (
        file_sha256 text NOT NULL,
        file_name   text NOT NULL,
        stage       text NOT NULL,
        reason      text NOT NULL,
        key         text NOT NULL,
        detail      text,
        excerpt     text,
        dropped_at  timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (file_sha256, stage, key)
      );
      CREATE INDEX dropped_reason_idx ON dropped (reason);
    `,
  },
];

/** Any constant works as long as every copydesk process uses the same one. */
const MIGRATION_LOCK_KEY = 'copydesk:schema_migrations';

/** Applies what is missing; returns the versions it applied (empty when up to date). */
export async function migrate(client: ClientBase, migrations: readonly Migration[] = MIGRATIONS): Promise<number[]> {
  await client.query('SELECT pg_advisory_lock(hashtext($1))', [MIGRATION_LOCK_KEY]);
  try {
    await client.query(`
      CREATE TABLE IF NOT EXISTS schema_migrations (
        version    integer PRIMARY KEY,
        name       text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
    const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
    const done = new Set(rows.map((r) => r.version));
    const applied: number[] = [];
    for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
      if (done.has(m.version)) continue;
      await client.query('BEGIN');
      try {
        await client.query(m.sql);
        await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      }
      applied.push(m.version);
    }
    return applied;
  } finally {
    await client.query('SELECT pg_advisory_unlock(hashtext($1))', [MIGRATION_LOCK_KEY]).catch(() => undefined);
  }
}
