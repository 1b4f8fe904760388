/** split queue: turns each cleaned record of the batch into articles (or drops it with a reason). */
import type { JobRun, StageCounters } from '../context.js';
import type { FileTicket, Payload } from '../payloads.js';
import type { Dropped } from '../../src/stages/drop.js';
import { addCounters, eachItem, settleFailures, settleItems } from '../batch.js';

export async function processSplit({ items }: Payload<'split'>, ctx: JobRun): Promise<StageCounters> {
  const { done, failed } = await eachItem(items, (i) => ({ file: i.file, key: `r${i.doc.recordIndex}` }), (i) => ctx.cpu.split(i.doc, i.file), { atOnce: true });
  const counters: StageCounters = { articles: 0 };
  const droppedByFile = new Map<string, { file: FileTicket; dropped: Dropped[] }>();
  for (const { item, result } of done) {
    counters.articles! += result.drafts.length;
    if (!result.dropped.length) continue;
    const entry = droppedByFile.get(item.file.sha256) ?? { file: item.file, dropped: [] };
    entry.dropped.push(...result.dropped);
    droppedByFile.set(item.file.sha256, entry);
    for (const d of result.dropped) counters[`dropped_${d.reason}`] = (counters[`dropped_${d.reason}`] ?? 0) + 1;
  }
  for (const { file, dropped } of droppedByFile.values()) await ctx.store.putDropped(file, dropped);
  // Count the fan-out before enqueuing, so no file can look finished while its articles run.
  await settleItems(
    ctx,
    done.map(({ item, result }) => ({
      file: item.file,
      sha: item.file.sha256,
      token: `split.r${item.doc.recordIndex}`,
      delta: result.drafts.length - 1,
      counter: result.drafts.length ? '' : 'dropped',
    })),
  );
  const next = done.flatMap(({ item, result }) => result.drafts.map((draft) => ({ file: item.file, draft })));
  if (next.length) await ctx.queues.dedupe.add('dedupe', { items: next }, { jobId: ctx.jobId });
  return addCounters(counters, await settleFailures('split', failed, ctx));
}
