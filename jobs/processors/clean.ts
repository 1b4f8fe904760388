/** clean queue: strips chrome from one record and passes it to split. */
import type { JobContext, StageCounters } from '../context.js';
import { jobIds, type Payload } from '../payloads.js';

export async function processClean({ file, record }: Payload<'clean'>, ctx: JobContext): Promise<StageCounters> {
  const doc = ctx.stages.clean(record);
  await ctx.queues.split.add('split', { file, doc }, { jobId: jobIds.split(file.sha256, record.index) });
  return { cuts: doc.notes.length };
}
