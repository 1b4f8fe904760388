/** classify queue: language, topics, places and names; assembles the output record. */
import type { JobContext, StageCounters } from '../context.js';
import { jobIds, type Payload } from '../payloads.js';

export async function processClassify({ file, draft, dedupe }: Payload<'classify'>, ctx: JobContext): Promise<StageCounters> {
  const classification = ctx.stages.classify(draft);
  const article = ctx.stages.assemble(file, draft, dedupe, classification);
  await ctx.queues.store.add('store', { file, article }, { jobId: jobIds.article(file.sha256, draft.key) });
  return { needs_review: classification.needsReview ? 1 : 0 };
}
