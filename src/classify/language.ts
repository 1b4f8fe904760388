/**
 * Language detection: ISO 639-1 code with a confidence in [0,1]. Input: text. Output:
 * {code, confidence}; 'und' with confidence 0 when the text is too short to tell.
 * Errors: none.
 *
 * franc-min (trigram profiles shipped in its package) is accurate but runs at a few hundred
 * texts per second; most of the copy is English, so a function-word count decides clear
 * English text first and franc only sees the rest.
 */
import { francAll } from 'franc-min';
import { LANGUAGE_CODES, THRESHOLDS } from './rules.js';

export interface DetectedLanguage {
  code: string;
  confidence: number;
}

const rules = THRESHOLDS.language;
const functionWords = new Set(rules.englishFunctionWords);
const LATIN_WORD = /[a-z]+(?:'[a-z]+)?/gi;
// Kana only occurs in Japanese; franc counts kanji as Chinese and can pick Chinese for kanji-heavy Japanese.
const KANA = /[\u3041-\u3096\u30a1-\u30fa]/g;

function englishShare(sample: string): { words: number; share: number } {
  const tokens = sample.match(LATIN_WORD) ?? [];
  let hits = 0;
  for (const t of tokens) if (functionWords.has(t.toLowerCase())) hits++;
  return { words: tokens.length, share: tokens.length ? hits / tokens.length : 0 };
}

export function detectLanguage(text: string): DetectedLanguage {
  const sample = text.slice(0, rules.sampleChars);
  if (sample.replace(/\s+/g, '').length < rules.minChars) return { code: 'und', confidence: 0 };

  const english = englishShare(sample);
  if (english.words >= rules.englishFastPathMinWords && english.share >= rules.englishFastPathMinShare) {
    // Share of function words in English prose is ~0.4-0.5; at the threshold we are already sure.
    return { code: 'en', confidence: Number(Math.min(1, 0.9 + english.share / 5).toFixed(3)) };
  }

  const kana = sample.match(KANA)?.length ?? 0;
  if (kana >= 5 && kana / sample.replace(/\s+/g, '').length > 0.1) return { code: 'ja', confidence: 0.95 };

  const ranked = francAll(sample, { minLength: rules.minChars });
  const [best, second] = ranked;
  if (!best || best[0] === 'und') return { code: 'und', confidence: 0 };
  const code = LANGUAGE_CODES[best[0]] ?? 'und';
  // franc scores the best language 1 and the others relative to it; a close runner-up means doubt.
  const margin = second ? 1 - second[1] : 1;
  return { code, confidence: code === 'und' ? 0 : Number(Math.min(1, 0.5 + margin * 2.5).toFixed(3)) };
}
