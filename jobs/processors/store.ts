/** store queue: upserts the record by id, then settles it in the file's tracker. */
import type { JobContext, StageCounters } from '../context.js';
import type { Payload } from '../payloads.js';
import { finalizeFile } from '../finalize.js';

export async function processStore({ file, article }: Payload<'store'>, ctx: JobContext): Promise<StageCounters> {
  await ctx.store.upsert([article]);
  const duplicate = article.dedupe.duplicateOf !== null;
  const { complete } = await ctx.tracker.settle(file.sha256, `store.a${article.provenance.articleKey}`, -1, duplicate ? 'duplicates' : 'stored');
  if (complete) await finalizeFile(ctx, file);
  return { stored: 1, duplicates: duplicate ? 1 : 0 };
}
