/** split queue: turns one cleaned record into articles (or drops it with a reason). */
import type { JobContext } from '../context.js';
import { jobIds, type Payload } from '../payloads.js';
import { finalizeFile } from '../finalize.js';

export async function processSplit({ file, doc }: Payload<'split'>, ctx: JobContext): Promise<void> {
  const { drafts, dropped } = ctx.stages.split(doc, file);
  if (dropped.length) {
    await ctx.store.putDropped(file, dropped);
    await ctx.stats.countMany('split', Object.fromEntries(countBy(dropped.map((d) => `dropped_${d.reason}`))));
  }
  // Count the fan-out before enqueuing, so the file cannot look finished while children run.
  const { complete } = await ctx.tracker.settle(file.sha256, `split.r${doc.recordIndex}`, drafts.length - 1, drafts.length ? '' : 'dropped');
  await ctx.queues.dedupe.addBulk(
    drafts.map((draft) => ({ name: 'dedupe', data: { file, draft }, opts: { jobId: jobIds.article(file.sha256, draft.key) } })),
  );
  await ctx.stats.countMany('split', { processed: 1, articles: drafts.length });
  if (complete) await finalizeFile(ctx, file);
}

function countBy(keys: string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const k of keys) m.set(k, (m.get(k) ?? 0) + 1);
  return m;
}
