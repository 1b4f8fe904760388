/**
 * classify stage — input: an article's title and paragraphs (and the source's language hint);
 * optional topic model (default: the shipped one, trained on lexicon-derived text; null: the
 * lexicon alone). Output: language (ISO 639-1 + confidence), up to three IPTC Media Topics
 * with scores and explaining terms (each followed by its second-level topic when confident), places (ISO 3166-1 alpha-2), people and organisations
 * with mention counts, and `needsReview` when the labels are not confident.
 * Errors: none (a malformed model fails earlier, in loadModel).
 */
import type { Classification } from '../schema/pipeline.js';
import defaultModelJson from './data/default-model.json' with { type: 'json' };
import { compileEntityRules, findEntities } from './entities.js';
import { detectLanguage } from './language.js';
import { compileLexicon } from './lexicon.js';
import { loadModel, type CompiledModel } from './model.js';
import { compileGazetteer, findPlaces } from './places.js';
import { ENTITY_RULES, GAZETTEER, LEXICON, SUBTOPICS, THRESHOLDS } from './rules.js';
import { tokenize } from './scan.js';
import { addSubtopics, compileSubtopics } from './subtopics.js';
import { scoreTopics } from './topics.js';
import { articleFeatures, compileFeatureVocabulary, type FeatureVocabulary } from './tokenize.js';

export { loadModel, serializeModel, type CompiledModel, type TopicModel } from './model.js';
export { trainModel, trainFromJsonl, parseLabeledJsonl, type LabeledExample, type TrainOptions } from './train.js';
export { detectLanguage } from './language.js';
export { resolveLabel, SUBTOPICS, TOPIC_LABELS } from './rules.js';

export interface ClassifyInput {
  title: string;
  paragraphs: readonly string[];
  languageHint?: string;
}

const lexicon = compileLexicon(LEXICON);
const subtopics = compileSubtopics(SUBTOPICS);
const subtopicRules = { ...THRESHOLDS.subtopics, explainTerms: THRESHOLDS.topics.explainTerms };
const gazetteer = compileGazetteer(GAZETTEER);
const entityRules = compileEntityRules(ENTITY_RULES);
let defaultModel: CompiledModel | undefined;
// Function words can carry model weight but explain nothing to a reader.
const topicRules = { ...THRESHOLDS.topics, unexplaining: new Set(THRESHOLDS.language.englishFunctionWords) };
const lexiconVocabulary = compileFeatureVocabulary(lexicon.entries.keys(), subtopics.terms);
const vocabularyByModel = new WeakMap<CompiledModel, FeatureVocabulary>();

/** The features the lexicon, the subtopics and the model know, computed once per model. */
function featureVocabulary(model: CompiledModel | undefined): FeatureVocabulary {
  if (!model) return lexiconVocabulary;
  let vocabulary = vocabularyByModel.get(model);
  if (!vocabulary) vocabularyByModel.set(model, (vocabulary = compileFeatureVocabulary(lexicon.entries.keys(), subtopics.terms, model.index.keys())));
  return vocabulary;
}

/** The shipped model, loaded on first use. */
export function getDefaultModel(): CompiledModel {
  return (defaultModel ??= loadModel(defaultModelJson));
}

// Headline Case ("Japan's Emperor Meets with Lithuanian President") capitalizes ordinary words,
// which would read as names; such titles are left to places only.
function isHeadlineCase(title: string): boolean {
  const ws = title.split(/\s+/).filter((w) => /^\p{L}{4,}/u.test(w));
  return ws.length >= 3 && ws.filter((w) => /^\p{Lu}/u.test(w)).length / ws.length > 0.6;
}

export function classify(input: ClassifyInput, model?: CompiledModel | null): Classification {
  const body = input.paragraphs.join('\n\n');
  const detected = detectLanguage(`${input.title}\n${body}`);
  const hint = input.languageHint?.toLowerCase().slice(0, 2);
  const language = detected.code === 'und' && hint && /^[a-z]{2}$/.test(hint) ? { code: hint, confidence: 0.5 } : detected;

  // Non-English text gets no topic at all rather than a wrong one from the English lexicon.
  let topicResult: { topics: Classification['topics']; needsReview: boolean } = { topics: [], needsReview: true };
  if (THRESHOLDS.language.topicsOnlyFor.includes(language.code)) {
    const topicModel = model === undefined ? getDefaultModel() : (model ?? undefined);
    const { counts, wordCount } = articleFeatures(input.title, body, THRESHOLDS.topics.titleRepeat, featureVocabulary(topicModel));
    if (wordCount >= THRESHOLDS.topics.minWordsForTopics) {
      topicResult = scoreTopics(lexicon, topicModel, counts, topicRules);
      topicResult.topics = addSubtopics(topicResult.topics, subtopics, counts, wordCount, subtopicRules);
    }
  }

  const bodyTokens = tokenize(body);
  const titleTokens = tokenize(input.title);
  const allTokens = titleTokens.concat(bodyTokens);
  const places = findPlaces(gazetteer, allTokens, THRESHOLDS.entities.maxPlaces);
  const names = findEntities(entityRules, gazetteer, isHeadlineCase(input.title) ? bodyTokens : allTokens, {
    people: THRESHOLDS.entities.maxPeople,
    organizations: THRESHOLDS.entities.maxOrganizations,
  });

  return {
    language,
    topics: topicResult.topics,
    places,
    people: names.people,
    organizations: names.organizations,
    needsReview: topicResult.needsReview || language.confidence < THRESHOLDS.language.reviewBelowConfidence,
  };
}
