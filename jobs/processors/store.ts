/**
 * store queue: upserts the batch's records by id in one call (a store outage fails the batch,
 * which is retried), then settles each in its file's tracker; files with nothing left pending
 * are finalized.
 */
import type { JobRun, StageCounters } from '../context.js';
import type { Payload } from '../payloads.js';
import { settleItems } from '../batch.js';

export async function processStore({ items }: Payload<'store'>, ctx: JobRun): Promise<StageCounters> {
  await ctx.store.upsert(items.map((i) => i.article));
  let duplicates = 0;
  await settleItems(
    ctx,
    items.map(({ file, article }) => {
      const duplicate = article.dedupe.duplicateOf !== null;
      if (duplicate) duplicates++;
      return { file, sha: file.sha256, token: `store.a${article.provenance.articleKey}`, delta: -1, counter: duplicate ? 'duplicates' : 'stored' };
    }),
  );
  return { stored: items.length, duplicates };
}
