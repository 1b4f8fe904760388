/**
 * split stage — input: a cleaned record and its file; output: the articles in it.
 * A text dump may hold a main article plus related ones (the aggregator sample) or several
 * articles separated by rules or title+byline; other records hold one article each.
 * Times are resolved against the capture time (the record's own, else the file's): the
 * stage never reads the clock.
 * Errors: none; records without an article are returned as drops with a reason.
 */
import type { Dropped } from '../stages/drop.js';
import { excerpt } from '../stages/drop.js';
import type { ArticleDraft, Block, Caption, CleanDoc, CutNote, Role, SourceFile } from '../schema/pipeline.js';
import { parseArticle, type ArticleParts } from './article.js';
import { parseGivenDate } from './dates.js';
import { SPLIT_RULES, type SplitRules } from './rules.js';
import { segmentBlocks, type Segment } from './segment.js';

export interface SplitResult {
  drafts: ArticleDraft[];
  dropped: Dropped[];
}

const ROLE_BY_ORIGIN: Record<CleanDoc['origin'], Role> = {
  file: 'main',
  'json-record': 'record',
  'warc-record': 'record',
  'feed-item': 'feed-item',
};

const countWords = (paragraphs: readonly string[]) =>
  paragraphs.reduce((n, p) => n + (p.match(/[\p{L}\p{N}]+/gu)?.length ?? 0), 0);

/** The record's own statements (hints, then page metadata) beat what the text suggests. */
function recordLevelFields(doc: CleanDoc, rules: SplitRules): Partial<ArticleDraft> {
  const given = doc.hints.publishedAt ? parseGivenDate(doc.hints.publishedAt, rules) : null;
  const meta = doc.meta.publishedAt ? parseGivenDate(doc.meta.publishedAt, rules) : null;
  const published = given
    ? { value: given, method: 'explicit' as const, raw: doc.hints.publishedAt }
    : meta
      ? { value: meta, method: 'metadata' as const, raw: doc.meta.publishedAt }
      : undefined;
  const authors = doc.hints.authors?.length ? doc.hints.authors : doc.meta.authors.length ? doc.meta.authors : undefined;
  const fields: Partial<ArticleDraft> = {
    title: doc.hints.title ?? doc.meta.title,
    source: doc.hints.source,
    url: doc.hints.url,
    canonicalUrl: doc.meta.canonicalUrl,
    language: doc.hints.language ?? doc.meta.language,
    description: doc.meta.description,
    section: doc.meta.section,
    leadImage: doc.meta.leadImage,
    published,
    authors,
  };
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as Partial<ArticleDraft>;
}

function firstSentenceTitle(paragraphs: readonly string[]): string | undefined {
  const first = paragraphs[0];
  if (!first) return undefined;
  const sentence = /^.{10,150}?[.!?](?=\s|$)/u.exec(first)?.[0] ?? first.slice(0, 120);
  return sentence.trim();
}

function captionsOf(doc: CleanDoc, owned: (block: number) => boolean): Caption[] {
  return doc.captions
    .filter((c) => owned(c.block ?? 0))
    .map(({ text, credit }) => (credit === undefined ? { text } : { text, credit }));
}

interface Piece {
  segment: Segment;
  parts: ArticleParts;
  key: string;
}

function buildDraft(
  doc: CleanDoc,
  file: SourceFile,
  piece: Piece,
  placement: { role: Role; parentKey?: string },
  record: Partial<ArticleDraft> | null,
  captions: Caption[],
  notes: CutNote[],
): ArticleDraft {
  const { parts } = piece;
  // The record's own fields (JSON columns, page metadata) win over what the text suggests.
  const source = record?.source ?? parts.source ?? (record ? doc.meta.siteName : undefined);
  const published = record?.published ?? parts.published;
  const draft: ArticleDraft = {
    ...(record ?? {}),
    key: piece.key,
    recordIndex: doc.recordIndex,
    role: placement.role,
    title: record?.title ?? parts.title ?? firstSentenceTitle(parts.paragraphs) ?? '',
    authors: record?.authors ?? parts.authors,
    capturedAt: doc.hints.capturedAt ?? file.capturedAt,
    paragraphs: parts.paragraphs,
    captions,
    tags: record ? doc.meta.tags : [],
    notes: [...notes, ...parts.notes],
  };
  if (doc.recordId !== undefined) draft.recordId = doc.recordId;
  if (placement.parentKey !== undefined) draft.parentKey = placement.parentKey;
  if (source !== undefined) draft.source = source;
  if (parts.originalSource !== undefined) draft.originalSource = parts.originalSource;
  if (published) draft.published = published;
  return draft;
}

/** Text dumps can hold several articles; other records hold one (their HTML extractor already chose it). */
function segmentsOf(doc: CleanDoc, capturedAt: string, rules: SplitRules): { segments: Segment[]; notes: CutNote[] } {
  if (doc.kind === 'text') return segmentBlocks(doc.blocks, capturedAt, rules);
  const notes: CutNote[] = [];
  const ids: number[] = [];
  let stopped = false;
  doc.blocks.forEach((b, i) => {
    if (b.type === 'section') {
      stopped ||= b.section === 'related' || rules.stopSections.includes(b.section ?? '');
      notes.push({ stage: 'split', rule: `section-heading:${b.section ?? 'unknown'}`, text: b.text.slice(0, 200) });
    } else if (stopped) notes.push({ stage: 'split', rule: 'after-related-section', text: b.text.slice(0, 200) });
    else ids.push(i);
  });
  return { segments: ids.length ? [{ kind: 'main', blocks: ids }] : [], notes };
}

export function split(doc: CleanDoc, file: SourceFile, rules: SplitRules = SPLIT_RULES): SplitResult {
  const capturedAt = doc.hints.capturedAt ?? file.capturedAt;
  const { segments, notes: segmentNotes } = segmentsOf(doc, capturedAt, rules);
  const record = recordLevelFields(doc, rules);
  const pieces: Piece[] = segments.map((segment, n) => {
    const blocks: Block[] = segment.blocks.map((i) => doc.blocks[i]!);
    const knownTitle = n === 0 ? record.title : undefined;
    return { segment, key: `${doc.recordIndex}.${n}`, parts: parseArticle(blocks, capturedAt, rules, knownTitle) };
  });
  const drafts: ArticleDraft[] = [];
  const dropped: Dropped[] = [];
  if (!pieces.length) {
    dropped.push({ stage: 'split', reason: 'no_article', key: `${doc.recordIndex}.0`, detail: 'nothing article-like left after cleaning' });
    return { drafts, dropped };
  }
  // Every block belongs to the segment that holds it, or to the last one before it.
  const ownerOfBlock = (block: number) => {
    let owner = 0;
    pieces.forEach((p, n) => {
      if (p.segment.blocks.some((b) => b <= block)) owner = n;
    });
    return owner;
  };
  // Caption notes travel with their caption; every other cut of the record is told on its first article.
  const isNoteOf = (c: Caption, note: CutNote) => note.rule.startsWith('caption') && note.text?.startsWith(c.text) === true;
  const captionNotes = doc.notes.filter((note) => doc.captions.some((c) => isNoteOf(c, note)));
  const recordNotes = [...doc.notes.filter((note) => !captionNotes.includes(note)), ...segmentNotes];
  pieces.forEach((piece, n) => {
    const isFirst = n === 0;
    const captions = captionsOf(doc, (b) => ownerOfBlock(b) === n);
    const ownCaptionNotes = captionNotes.filter((note) => captions.some((c) => isNoteOf(c, note)));
    const parent = piece.segment.parent !== undefined ? pieces[piece.segment.parent]?.key : undefined;
    const role: Role = piece.segment.kind === 'related' ? 'related' : ROLE_BY_ORIGIN[doc.origin];
    const placement = parent !== undefined ? { role, parentKey: parent } : { role };
    const notes = [...(isFirst ? recordNotes : []), ...ownCaptionNotes];
    const draft = buildDraft(doc, file, piece, placement, isFirst ? record : null, captions, notes);
    const words = countWords(draft.paragraphs);
    if (!draft.title || !draft.paragraphs.length) {
      dropped.push({ stage: 'split', reason: 'no_article', key: piece.key, excerpt: excerpt([draft.title, ...draft.paragraphs].join('\n')) });
    } else if (words < rules.minArticleWords) {
      dropped.push({ stage: 'split', reason: 'too_short', key: piece.key, detail: `${words} words`, excerpt: excerpt(draft.paragraphs.join('\n')) });
    } else {
      drafts.push(draft);
    }
  });
  return { drafts, dropped };
}
