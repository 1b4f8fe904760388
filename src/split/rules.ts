/**
 * The split stage's heuristics, loaded from split-rules.json and checked by zod at load.
 * Input: the JSON data (or a user's copy via `compileSplitRules`). Output: compiled rules.
 * Errors: a ZodError naming the bad entry.
 */
import { z } from 'zod';
import data from './split-rules.json' with { type: 'json' };

const regexSource = z.string().refine((s) => {
  try {
    new RegExp(s, 'iu');
    return true;
  } catch {
    return false;
  }
}, 'not a valid regular expression');

export const SplitRulesSchema = z.object({
  relativeTime: z.object({
    units: z.record(z.string(), z.object({ ms: z.number().int().positive(), names: z.array(z.string().min(1)).min(1) })),
    words: z.record(z.string(), z.number().int().nonnegative()),
  }),
  timeZones: z.record(z.string(), z.number().int().min(-720).max(840)),
  datelinePatterns: z.array(regexSource),
  bylinePattern: regexSource,
  maxBylineChars: z.number().int().positive(),
  syndication: z.array(z.object({ pattern: regexSource, flags: z.string().regex(/^[imsu]*$/).default('u') })),
  header: z.object({
    maxHeaderLines: z.number().int().min(1),
    maxTitleChars: z.number().int().positive(),
    minTitleWords: z.number().int().min(1),
    maxSourceWords: z.number().int().min(1),
    maxSourceChars: z.number().int().positive(),
  }),
  minArticleWords: z.number().int().min(1),
  stopSections: z.array(z.string()),
});
export type SplitRulesData = z.infer<typeof SplitRulesSchema>;

export interface SplitRules extends SplitRulesData {
  relativeTimeRe: RegExp;
  unitMs: Map<string, number>;
  datelines: RegExp[];
  byline: RegExp;
  syndicationRes: RegExp[];
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function compileSplitRules(input: unknown): SplitRules {
  const rules = SplitRulesSchema.parse(input);
  const unitMs = new Map<string, number>();
  for (const unit of Object.values(rules.relativeTime.units)) for (const name of unit.names) unitMs.set(name.toLowerCase(), unit.ms);
  const names = [...unitMs.keys()].sort((a, b) => b.length - a.length).map(escapeRe).join('|');
  return {
    ...rules,
    relativeTimeRe: new RegExp(`^(?:about |around |over )?(?<count>\\d+|an?|one)\\s*(?<unit>${names})\\.?\\s+ago$`, 'iu'),
    unitMs,
    datelines: rules.datelinePatterns.map((p) => new RegExp(p, 'u')),
    byline: new RegExp(rules.bylinePattern, 'u'),
    syndicationRes: rules.syndication.map((s) => new RegExp(s.pattern, s.flags)),
  };
}

export const SPLIT_RULES: SplitRules = compileSplitRules(data);
