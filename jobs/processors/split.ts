/** split queue: turns one cleaned record into articles (or drops it with a reason). */
import type { JobContext, StageCounters } from '../context.js';
import { jobIds, type Payload } from '../payloads.js';
import { finalizeFile } from '../finalize.js';

export async function processSplit({ file, doc }: Payload<'split'>, ctx: JobContext): Promise<StageCounters> {
  const { drafts, dropped } = ctx.stages.split(doc, file);
  const counters: StageCounters = { articles: drafts.length };
  if (dropped.length) {
    await ctx.store.putDropped(file, dropped);
    for (const d of dropped) counters[`dropped_${d.reason}`] = (counters[`dropped_${d.reason}`] ?? 0) + 1;
  }
  // Count the fan-out before enqueuing, so the file cannot look finished while children run.
  const { complete } = await ctx.tracker.settle(file.sha256, `split.r${doc.recordIndex}`, drafts.length - 1, drafts.length ? '' : 'dropped');
  await ctx.queues.dedupe.addBulk(
    drafts.map((draft) => ({ name: 'dedupe', data: { file, draft }, opts: { jobId: jobIds.article(file.sha256, draft.key) } })),
  );
  if (complete) await finalizeFile(ctx, file);
  return counters;
}
