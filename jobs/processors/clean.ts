/** clean queue: strips chrome from each record of the batch and passes the batch to split. */
import type { JobRun, StageCounters } from '../context.js';
import type { Payload } from '../payloads.js';
import { addCounters, eachItem, settleFailures } from '../batch.js';

export async function processClean({ items }: Payload<'clean'>, ctx: JobRun): Promise<StageCounters> {
  const { done, failed } = await eachItem(items, (i) => ({ file: i.file, key: `r${i.record.index}` }), (i) => ctx.cpu.clean(i.record), { atOnce: true });
  if (done.length) await ctx.queues.split.add('split', { items: done.map(({ item, result }) => ({ file: item.file, doc: result })) }, { jobId: ctx.jobId });
  const counters: StageCounters = { records: items.length, cuts: done.reduce((n, d) => n + d.result.notes.length, 0) };
  return addCounters(counters, await settleFailures('clean', failed, ctx));
}
