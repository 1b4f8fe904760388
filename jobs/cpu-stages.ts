/**
 * The CPU-heavy stages (clean, split, classify + assemble) and intake's parsing as the
 * processors call them: either in the event loop (`cpuThreads: 0`) or in worker threads
 * (cpu-pool.ts, intake-pool.ts), where a document that overruns its time budget fails alone
 * with E_TIME_BUDGET instead of stalling the worker (and its lock renewals) on a regex
 * blow-up or pathological HTML.
 */
import type { Stage } from '../src/config.js';
import type { IntakeStream } from '../src/intake/index.js';
import type { Stages } from '../src/pipeline.js';
import type { Article } from '../src/schema/article.js';
import type { CleanDoc, DedupeResult, IdentifiedDraft, RawRecord, SourceFile } from '../src/schema/pipeline.js';

export interface Classified {
  article: Article;
  needsReview: boolean;
}

export interface CpuStages {
  /**
   * A claimed file's records as they are read; its parsing steps under the time budget when
   * threaded. The input's chunks are handed over (moved to the thread): never reuse them.
   */
  intakeStream(file: SourceFile, input: AsyncIterable<Uint8Array>): IntakeStream;
  clean(record: RawRecord): Promise<CleanDoc>;
  split(doc: CleanDoc, file: SourceFile): Promise<ReturnType<Stages['split']>>;
  classify(file: SourceFile, draft: IdentifiedDraft, dedupe: DedupeResult): Promise<Classified>;
  /** Starts what the given stages run on (threads) and waits until it is ready. */
  warm(stages: readonly Stage[]): Promise<void>;
  close(): Promise<void>;
}

/** The operations a CPU thread runs; the pool and the thread share this table. */
export function cpuOperations(stages: Stages) {
  return {
    clean: (record: RawRecord) => stages.clean(record),
    split: (doc: CleanDoc, file: SourceFile) => stages.split(doc, file),
    classify: (file: SourceFile, draft: IdentifiedDraft, dedupe: DedupeResult): Classified => {
      const classification = stages.classify(draft);
      return { article: stages.assemble(file, draft, dedupe, classification), needsReview: classification.needsReview };
    },
  };
}
export type CpuOperation = keyof ReturnType<typeof cpuOperations>;

/** In the event loop: no thread hop, no budget. */
export function inlineCpuStages(stages: Stages): CpuStages {
  const ops = cpuOperations(stages);
  return {
    intakeStream: (file, input) => stages.intakeStream(file, input),
    clean: async (record) => ops.clean(record),
    split: async (doc, file) => ops.split(doc, file),
    classify: async (file, draft, dedupe) => ops.classify(file, draft, dedupe),
    warm: async () => undefined,
    close: async () => undefined,
  };
}
