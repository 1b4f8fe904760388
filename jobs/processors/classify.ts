/** classify queue: language, topics, places and names; assembles each output record. */
import type { JobRun, StageCounters } from '../context.js';
import type { Payload } from '../payloads.js';
import { addCounters, eachItem, settleFailures } from '../batch.js';

export async function processClassify({ items }: Payload<'classify'>, ctx: JobRun): Promise<StageCounters> {
  let needsReview = 0;
  const { done, failed } = await eachItem(items, (i) => ({ file: i.file, key: i.draft.key, articleId: i.draft.id }), async ({ file, draft, dedupe }) => {
    const classified = await ctx.cpu.classify(file, draft, dedupe);
    if (classified.needsReview) needsReview++;
    return classified.article;
  }, { atOnce: true });
  if (done.length) await ctx.queues.store.add('store', { items: done.map(({ item, result }) => ({ file: item.file, article: result })) }, { jobId: ctx.jobId });
  return addCounters({ needs_review: needsReview }, await settleFailures('classify', failed, ctx));
}
