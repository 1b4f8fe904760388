/**
 * Intake heuristics as named data: format signatures, extensions, HTML markers, JSON field
 * names, depth and size factors. Input: intake-rules.json. Output: the validated, frozen
 * rules. Errors: throws at module load when the JSON does not fit the schema (a bad rule
 * file must fail the build, not the first unlucky upload).
 */
import { z } from 'zod';
import raw from './intake-rules.json' with { type: 'json' };

const names = z.array(z.string().min(1)).min(1);

const IntakeRulesSchema = z.object({
  /** How many leading bytes are read to detect format and encoding. */
  sniffBytes: z.number().int().min(1024),
  /** Deeper element nesting than this is refused: HTML parsers recurse or slow down on it. */
  maxHtmlDepth: z.number().int().min(64),
  htmlStartTags: names,
  htmlMarkers: names,
  autoClosingTags: names,
  voidTags: names,
  rawTextTags: names,
  binarySignatures: z.array(z.object({ name: z.string(), hex: z.string().regex(/^([0-9a-f]{2})+$/) })),
  extensions: z.object({ text: names, html: names, json: names, jsonl: names, warc: names, feed: names }),
  jsonFields: z.object({
    html: names,
    content: names,
    url: names,
    title: names,
    publishedAt: names,
    source: names,
    authors: names,
    capturedAt: names,
    language: names,
    id: names,
    wrappers: names,
    collections: names,
  }),
  htmlContentTypes: names,
  /** A JSON line longer than maxArticleChars × this is skipped without being buffered. */
  jsonlMaxLineFactor: z.number().min(1),
  /** A WARC record body larger than maxArticleChars × this is skipped without being buffered. */
  warcMaxRecordFactor: z.number().min(1),
});

export type IntakeRules = z.infer<typeof IntakeRulesSchema>;

export const INTAKE_RULES: Readonly<IntakeRules> = Object.freeze(IntakeRulesSchema.parse(raw));
