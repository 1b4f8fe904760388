/** dedupe queue: decides, atomically in the shared index, whether the article is a copy. */
import type { JobContext } from '../context.js';
import { jobIds, type Payload } from '../payloads.js';

export async function processDedupe({ file, draft }: Payload<'dedupe'>, ctx: JobContext): Promise<void> {
  const dedupe = await ctx.stages.dedupe(draft, ctx.dedupeIndex);
  await ctx.queues.classify.add('classify', { file, draft, dedupe }, { jobId: jobIds.article(file.sha256, draft.key) });
  await ctx.stats.countMany('dedupe', { processed: 1, [dedupe.duplicateOf ? `duplicate_${dedupe.method}` : 'canonical']: 1 });
}
