/**
 * The classify stage's named data, validated once at load: the IPTC lexicon, the gazetteer,
 * the entity cues, the language-code map and the thresholds. Input: the JSON files in
 * ./data. Output: frozen, typed rule objects. Errors: a malformed data file throws at import
 * (a broken lexicon must never classify silently).
 */
import { z } from 'zod';
import lexiconJson from './data/iptc-lexicon.json' with { type: 'json' };
import gazetteerJson from './data/gazetteer.json' with { type: 'json' };
import entityJson from './data/entity-rules.json' with { type: 'json' };
import languageJson from './data/language-codes.json' with { type: 'json' };
import thresholdsJson from './data/classify-rules.json' with { type: 'json' };
import subtopicsJson from './data/iptc-subtopics.json' with { type: 'json' };

const MEDTOP = z.string().regex(/^medtop:\d{8}$/);
const TERM = z.string().regex(/^\S+( \S+)?$/, 'a lowercase word or two-word phrase').refine((t) => t === t.toLowerCase(), 'lowercase');

export const LexiconSchema = z.object({
  about: z.string().optional(),
  topics: z
    .array(
      z.object({
        code: MEDTOP,
        label: z.string().min(1),
        aliases: z.array(z.string()).default([]),
        evidenceWeight: z.number().positive().max(2).default(1),
        terms: z.record(TERM, z.number().positive().max(5)),
      }),
    )
    .min(1)
    .refine((ts) => new Set(ts.map((t) => t.code)).size === ts.length, 'duplicate topic code'),
});
export type Lexicon = z.infer<typeof LexiconSchema>;

/**
 * Second-level IPTC Media Topics: each names its top-level parent (one of the lexicon's
 * codes, checked against the lexicon at load) and has its own weighted terms.
 */
export const SubtopicsSchema = z.object({
  about: z.string().optional(),
  subtopics: z
    .array(
      z.object({
        code: z.string().regex(/^medtop:2\d{7}$/, 'a second-level medtop code (medtop:2xxxxxxx)'),
        label: z.string().min(1),
        parent: MEDTOP,
        terms: z.record(TERM, z.number().positive().max(5)).refine((t) => Object.keys(t).length > 0, 'at least one term'),
      }),
    )
    .min(1)
    .refine((ts) => new Set(ts.map((t) => t.code)).size === ts.length, 'duplicate subtopic code'),
});
export type Subtopics = z.infer<typeof SubtopicsSchema>;

/** The subtopics file with every parent checked against the top-level codes of `lexicon`. */
export function subtopicsSchemaFor(lexicon: Lexicon) {
  const parents = new Set(lexicon.topics.map((t) => t.code));
  return SubtopicsSchema.superRefine((data, ctx) => {
    data.subtopics.forEach((s, i) => {
      if (!parents.has(s.parent)) ctx.addIssue({ code: 'custom', path: ['subtopics', i, 'parent'], message: `${s.parent} is not a top-level topic of the lexicon` });
      if (parents.has(s.code)) ctx.addIssue({ code: 'custom', path: ['subtopics', i, 'code'], message: `${s.code} is a top-level code` });
    });
  });
}

export const GazetteerSchema = z.object({
  about: z.string().optional(),
  blocked: z.array(z.string()).default([]),
  places: z.array(
    z.object({
      code: z.string().regex(/^[A-Z]{2}$/),
      name: z.string().min(1),
      aliases: z.array(z.string()).default([]),
      demonyms: z.array(z.string()).default([]),
      cities: z.array(z.string()).default([]),
    }),
  ),
});
export type Gazetteer = z.infer<typeof GazetteerSchema>;

export const EntityRulesSchema = z.object({
  about: z.string().optional(),
  personTitles: z.array(z.string()),
  titleModifiers: z.array(z.string()),
  orgSuffixes: z.array(z.string()),
  orgPrefixes: z.array(z.string()),
  knownOrganizations: z.array(z.string()),
  notEntities: z.array(z.string()),
  nonPersonWords: z.array(z.string()),
  maxPersonWords: z.number().int().min(1),
  maxOrgWords: z.number().int().min(1),
  orgConnectors: z.array(z.string()),
  personParticles: z.array(z.string()),
});
export type EntityRules = z.infer<typeof EntityRulesSchema>;

const LanguageCodesSchema = z.object({
  about: z.string().optional(),
  map: z.record(z.string().regex(/^[a-z]{3}$/), z.string().regex(/^[a-z]{2}$|^und$/)),
});

const unit = z.number().min(0).max(1);
export const ThresholdsSchema = z.object({
  about: z.string().optional(),
  topics: z.object({
    maxTopics: z.number().int().min(1).max(17),
    minSecondaryScore: unit,
    titleRepeat: z.number().int().min(1),
    lexiconEvidencePrior: z.number().nonnegative(),
    explainTerms: z.number().int().min(0),
    reviewBelowTopScore: unit,
    reviewBelowMargin: unit,
    minWordsForTopics: z.number().int().min(0),
  }),
  subtopics: z.object({
    /** Distinct subtopic terms an article needs before a subtopic is considered. */
    minDistinctTerms: z.number().int().min(1),
    /** Subtopic evidence (weight × (1 + ln count), summed) per 100 words, at least. */
    minEvidencePer100Words: z.number().nonnegative(),
    /** Short texts count as this many words when evidence is normalized by length. */
    minWordsForDensity: z.number().int().positive(),
    /** Damping added to the siblings' evidence total, as in the top-level lexicon. */
    evidencePrior: z.number().nonnegative(),
    /** The best subtopic's share of its siblings' evidence, at least. */
    minShare: unit,
    /** The best subtopic's share minus the runner-up's, at least. */
    minMargin: unit,
  }),
  language: z.object({
    sampleChars: z.number().int().positive(),
    minChars: z.number().int().nonnegative(),
    englishFastPathMinWords: z.number().int().positive(),
    englishFastPathMinShare: unit,
    englishFunctionWords: z.array(z.string()),
    reviewBelowConfidence: unit,
    topicsOnlyFor: z.array(z.string().regex(/^[a-z]{2}$/)),
  }),
  entities: z.object({
    maxPeople: z.number().int().positive(),
    maxOrganizations: z.number().int().positive(),
    maxPlaces: z.number().int().positive(),
  }),
});
export type Thresholds = z.infer<typeof ThresholdsSchema>;

function load<T>(schema: z.ZodType<T>, data: unknown, name: string): T {
  const parsed = schema.safeParse(data);
  if (!parsed.success) throw new Error(`classify data file ${name} is invalid: ${z.prettifyError(parsed.error)}`);
  return Object.freeze(parsed.data);
}

export const LEXICON: Lexicon = load(LexiconSchema, lexiconJson, 'iptc-lexicon.json');
export const GAZETTEER: Gazetteer = load(GazetteerSchema, gazetteerJson, 'gazetteer.json');
export const ENTITY_RULES: EntityRules = load(EntityRulesSchema, entityJson, 'entity-rules.json');
export const LANGUAGE_CODES: Readonly<Record<string, string>> = load(LanguageCodesSchema, languageJson, 'language-codes.json').map;
export const THRESHOLDS: Thresholds = load(ThresholdsSchema, thresholdsJson, 'classify-rules.json');
export const SUBTOPICS: Subtopics = load(subtopicsSchemaFor(LEXICON), subtopicsJson, 'iptc-subtopics.json');

/** IPTC code → label, for every topic the lexicon knows. */
export const TOPIC_LABELS: ReadonlyMap<string, string> = new Map(LEXICON.topics.map((t) => [t.code, t.label]));

/**
 * Label aliases accepted in training data ("business" → medtop:04000000), from the lexicon's
 * `aliases`; a medtop code is always accepted as itself.
 */
export function resolveLabel(label: string): string | undefined {
  const key = label.trim().toLowerCase();
  if (/^medtop:\d{8}$/.test(key)) return key;
  for (const t of LEXICON.topics) if (t.aliases.some((a) => a.toLowerCase() === key) || t.label === key) return t.code;
  return undefined;
}
