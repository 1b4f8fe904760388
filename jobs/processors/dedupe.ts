/** dedupe queue: decides, atomically in the shared index, whether the article is a copy. */
import type { JobContext, StageCounters } from '../context.js';
import { jobIds, type Payload } from '../payloads.js';

export async function processDedupe({ file, draft }: Payload<'dedupe'>, ctx: JobContext): Promise<StageCounters> {
  const dedupe = await ctx.stages.dedupe(draft, ctx.dedupeIndex);
  await ctx.queues.classify.add('classify', { file, draft, dedupe }, { jobId: jobIds.article(file.sha256, draft.key) });
  return { [dedupe.duplicateOf ? `duplicate_${dedupe.method}` : 'canonical']: 1 };
}
