/**
 * dedupe queue: decides, atomically in the shared index, whether each article is a copy. In
 * batch order, so a near-copy later in the same batch is matched against an earlier one.
 */
import type { JobRun, StageCounters } from '../context.js';
import type { Payload } from '../payloads.js';
import { addCounters, eachItem, settleFailures } from '../batch.js';

export async function processDedupe({ items }: Payload<'dedupe'>, ctx: JobRun): Promise<StageCounters> {
  const { done, failed } = await eachItem(items, (i) => ({ file: i.file, key: i.draft.key, articleId: i.draft.id }), (i) => ctx.stages.dedupe(i.draft, ctx.dedupeIndex));
  const counters: StageCounters = {};
  for (const { result } of done) {
    const name = result.duplicateOf ? `duplicate_${result.method}` : 'canonical';
    counters[name] = (counters[name] ?? 0) + 1;
  }
  if (done.length) await ctx.queues.classify.add('classify', { items: done.map(({ item, result }) => ({ ...item, dedupe: result })) }, { jobId: ctx.jobId });
  return addCounters(counters, await settleFailures('dedupe', failed, ctx));
}
