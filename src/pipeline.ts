/**
 * The stages wired together, once, for both drivers: the BullMQ processors in jobs/ call
 * these one queue at a time; `copydesk process` calls them in a loop in-process.
 */
import { intake, intakeStream, type IntakeLimits, type IntakeStream } from './intake/index.js';
import { clean } from './clean/index.js';
import { split } from './split/index.js';
import { classify, type ClassifyInput } from './classify/index.js';
import { normalizeForHash } from './dedupe/normalize.js';
import { buildArticle, identifyDrafts } from './record.js';
import type { DedupeIndex } from './dedupe/index-types.js';
import type { Article } from './schema/article.js';
import type { Dropped } from './stages/drop.js';
import type {
  Classification,
  CleanDoc,
  DedupeResult,
  IdentifiedDraft,
  RawRecord,
  SourceFile,
} from './schema/pipeline.js';

export interface StageDeps {
  limits: IntakeLimits;
  pipelineVersion: string;
  classifier?: (input: ClassifyInput) => Classification;
}

export interface Stages {
  intake(file: SourceFile, bytes: Uint8Array): RawRecord[];
  /** The same, over a byte stream, with bounded memory; its report is complete at the end. */
  intakeStream(file: SourceFile, input: AsyncIterable<Uint8Array>): IntakeStream;
  clean(record: RawRecord): CleanDoc;
  split(doc: CleanDoc, file: SourceFile): { drafts: IdentifiedDraft[]; dropped: Dropped[] };
  dedupe(draft: IdentifiedDraft, index: DedupeIndex): Promise<DedupeResult>;
  classify(draft: IdentifiedDraft): Classification;
  assemble(file: SourceFile, draft: IdentifiedDraft, dedupe: DedupeResult, classification: Classification): Article;
}

export function createStages(deps: StageDeps): Stages {
  const classifier = deps.classifier ?? classify;
  return {
    intake: (file, bytes) => intake(file, bytes, deps.limits),
    intakeStream: (file, input) => intakeStream(file, input, deps.limits),
    clean: (record) => clean(record),
    split(doc, file) {
      const { drafts, dropped } = split(doc, file);
      return { drafts: identifyDrafts(file, drafts), dropped };
    },
    dedupe: (draft, index) =>
      index.decide({
        articleId: draft.id,
        contentHash: draft.contentHash,
        normalizedText: normalizeForHash(draft.paragraphs.join('\n')),
      }),
    classify: (draft) => classifier({ title: draft.title, paragraphs: draft.paragraphs, languageHint: draft.language }),
    assemble: (file, draft, dedupe, classification) => buildArticle(file, draft, dedupe, classification, deps.pipelineVersion),
  };
}

export interface ProcessResult {
  articles: Article[];
  dropped: Dropped[];
}

/** Runs clean → split → dedupe → classify → assemble over records as they come, in-process. */
export async function* processRecords(
  stages: Stages,
  file: SourceFile,
  records: AsyncIterable<RawRecord> | Iterable<RawRecord>,
  index: DedupeIndex,
): AsyncGenerator<{ article: Article } | { dropped: Dropped }> {
  for await (const record of records) {
    const doc = stages.clean(record);
    const result = stages.split(doc, file);
    for (const dropped of result.dropped) yield { dropped };
    for (const draft of result.drafts) {
      const decision = await stages.dedupe(draft, index);
      yield { article: stages.assemble(file, draft, decision, stages.classify(draft)) };
    }
  }
}

/** Runs every stage over one file's bytes, in-process. */
export async function processFileBytes(
  stages: Stages,
  file: SourceFile,
  bytes: Uint8Array,
  index: DedupeIndex,
): Promise<ProcessResult> {
  const result: ProcessResult = { articles: [], dropped: [] };
  for await (const item of processRecords(stages, file, stages.intake(file, bytes), index)) {
    if ('article' in item) result.articles.push(item.article);
    else result.dropped.push(item.dropped);
  }
  return result;
}
