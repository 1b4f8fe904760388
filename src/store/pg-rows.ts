/**
 * How an article record maps onto the typed columns of `articles`. One list, so the INSERT,
 * its parameter types and the ON CONFLICT update can never disagree. The full record is
 * also kept as jsonb (`record`), which is what reads return.
 */
import type { Article } from '../schema/article.js';
import type { Dropped } from '../stages/drop.js';
import type { SourceFile } from '../schema/pipeline.js';

export interface ColumnSpec<T> {
  name: string;
  /** The PostgreSQL array type each value is sent as (rows go in column-wise via unnest). */
  arrayType: string;
  value(row: T): string | number | null;
}

const json = (v: unknown): string => JSON.stringify(v);

export const ARTICLE_COLUMNS: readonly ColumnSpec<Article>[] = [
  { name: 'id', arrayType: 'text[]', value: (a) => a.id },
  { name: 'title', arrayType: 'text[]', value: (a) => a.title },
  { name: 'source', arrayType: 'text[]', value: (a) => a.source },
  { name: 'original_source', arrayType: 'text[]', value: (a) => a.originalSource },
  { name: 'url', arrayType: 'text[]', value: (a) => a.url },
  { name: 'published_at', arrayType: 'timestamptz[]', value: (a) => a.publishedAt },
  { name: 'captured_at', arrayType: 'timestamptz[]', value: (a) => a.capturedAt },
  { name: 'language', arrayType: 'text[]', value: (a) => a.language },
  { name: 'topics', arrayType: 'jsonb[]', value: (a) => json(a.topics) },
  { name: 'places', arrayType: 'jsonb[]', value: (a) => json(a.places) },
  { name: 'people', arrayType: 'jsonb[]', value: (a) => json(a.people) },
  { name: 'organizations', arrayType: 'jsonb[]', value: (a) => json(a.organizations) },
  { name: 'cluster_id', arrayType: 'text[]', value: (a) => a.dedupe.clusterId },
  { name: 'duplicate_of', arrayType: 'text[]', value: (a) => a.dedupe.duplicateOf },
  { name: 'content_hash', arrayType: 'text[]', value: (a) => a.dedupe.contentHash },
  { name: 'body', arrayType: 'text[]', value: (a) => a.body },
  { name: 'word_count', arrayType: 'integer[]', value: (a) => a.wordCount },
  { name: 'inbox_file', arrayType: 'text[]', value: (a) => a.provenance.inboxFile },
  { name: 'inbox_sha256', arrayType: 'text[]', value: (a) => a.provenance.inboxSha256 },
  { name: 'role', arrayType: 'text[]', value: (a) => a.provenance.role },
  { name: 'parent_id', arrayType: 'text[]', value: (a) => a.provenance.parentId },
  { name: 'schema_version', arrayType: 'integer[]', value: (a) => a.schemaVersion },
  { name: 'record', arrayType: 'jsonb[]', value: (a) => json(a) },
];

export interface DroppedRow extends Dropped {
  file: SourceFile;
}

/**
 * Dropped excerpts are raw input shown to a person: a NUL byte in one (PostgreSQL text
 * refuses it) must not fail the whole file, so it is shown as U+FFFD instead.
 */
const displayText = (s: string | undefined): string | null => (s === undefined ? null : s.replaceAll('\u0000', '\uFFFD'));

export const DROPPED_COLUMNS: readonly ColumnSpec<DroppedRow>[] = [
  { name: 'file_sha256', arrayType: 'text[]', value: (d) => d.file.sha256 },
  { name: 'file_name', arrayType: 'text[]', value: (d) => displayText(d.file.name) },
  { name: 'stage', arrayType: 'text[]', value: (d) => d.stage },
  { name: 'reason', arrayType: 'text[]', value: (d) => d.reason },
  { name: 'key', arrayType: 'text[]', value: (d) => displayText(d.key) },
  { name: 'detail', arrayType: 'text[]', value: (d) => displayText(d.detail) },
  { name: 'excerpt', arrayType: 'text[]', value: (d) => displayText(d.excerpt) },
];

/**
 * One multi-row upsert whatever the batch size: each column travels as one array parameter
 * and `unnest` zips them back into rows, so there is no 65,535-parameter ceiling.
 */
export function upsertStatement<T>(
  table: string,
  columns: readonly ColumnSpec<T>[],
  conflictKey: readonly string[],
  rows: readonly T[],
  opts: { touch?: string; skipUnchanged?: string } = {},
): { text: string; values: unknown[] } {
  const names = columns.map((c) => c.name);
  const casts = columns.map((c, i) => `$${i + 1}::${c.arrayType}`).join(', ');
  const updates = names.filter((n) => !conflictKey.includes(n)).map((n) => `${n} = EXCLUDED.${n}`);
  if (opts.touch) updates.push(`${opts.touch} = now()`);
  // A retry that writes the same record again must not look like a change (updated_at).
  const where = opts.skipUnchanged ? ` WHERE ${table}.${opts.skipUnchanged} IS DISTINCT FROM EXCLUDED.${opts.skipUnchanged}` : '';
  const text =
    `INSERT INTO ${table} (${names.join(', ')}) SELECT * FROM unnest(${casts}) ` +
    `ON CONFLICT (${conflictKey.join(', ')}) DO UPDATE SET ${updates.join(', ')}${where}`;
  const values = columns.map((c) => rows.map((r) => c.value(r)));
  return { text, values };
}
