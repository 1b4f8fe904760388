/** One zod schema per queue payload: parsed at the boundary, trusted inside. */
import { z } from 'zod';
import {
  CleanDocSchema,
  DedupeResultSchema,
  IdentifiedDraftSchema,
  RawRecordSchema,
  SourceFileSchema,
} from '../src/schema/pipeline.js';
import { ArticleSchema } from '../src/schema/article.js';
import type { Stage } from '../src/config.js';

/** The inbox file a job belongs to: its identity plus where the claimed bytes are. */
export const FileTicketSchema = SourceFileSchema.extend({
  claimedPath: z.string().min(1),
});
export type FileTicket = z.infer<typeof FileTicketSchema>;

/** A batch job's items: each keeps its file's ticket (a batch may span several files). */
const batchOf = <T extends z.ZodRawShape>(item: T) => z.object({ items: z.array(z.object({ file: FileTicketSchema, ...item })).min(1) });

export const PAYLOADS = {
  intake: z.object({ file: FileTicketSchema }),
  clean: batchOf({ record: RawRecordSchema }),
  split: batchOf({ doc: CleanDocSchema }),
  dedupe: batchOf({ draft: IdentifiedDraftSchema }),
  classify: batchOf({ draft: IdentifiedDraftSchema, dedupe: DedupeResultSchema }),
  store: batchOf({ article: ArticleSchema }),
} as const satisfies Record<Stage, z.ZodType>;

export type Payload<S extends Stage> = z.infer<(typeof PAYLOADS)[S]>;

/**
 * Job ids are deterministic, so a retried producer never enqueues the same work twice: the
 * intake job is the file's sha256; a batch keeps the id its clean job got (see batchJobId)
 * through every later queue.
 */
export const jobIds = {
  intake: (sha: string) => sha,
};
