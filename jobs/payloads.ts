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

export const PAYLOADS = {
  intake: z.object({ file: FileTicketSchema }),
  clean: z.object({ file: FileTicketSchema, record: RawRecordSchema }),
  split: z.object({ file: FileTicketSchema, doc: CleanDocSchema }),
  dedupe: z.object({ file: FileTicketSchema, draft: IdentifiedDraftSchema }),
  classify: z.object({ file: FileTicketSchema, draft: IdentifiedDraftSchema, dedupe: DedupeResultSchema }),
  store: z.object({ file: FileTicketSchema, article: ArticleSchema }),
} as const satisfies Record<Stage, z.ZodType>;

export type Payload<S extends Stage> = z.infer<(typeof PAYLOADS)[S]>;

/** Job ids are deterministic, so a retried producer never enqueues the same work twice. */
export const jobIds = {
  intake: (sha: string) => sha,
  clean: (sha: string, recordIndex: number) => `${sha}.r${recordIndex}`,
  split: (sha: string, recordIndex: number) => `${sha}.r${recordIndex}`,
  article: (sha: string, key: string) => `${sha}.a${key}`,
};
