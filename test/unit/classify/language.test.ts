import { describe, expect, it } from 'vitest';
import { classify, detectLanguage } from '../../../src/classify/index.js';

const paragraphs: Record<string, string> = {
  fr: "Le gouvernement a présenté mardi un projet de loi sur les retraites, qui suscite déjà la colère des syndicats. Les débats à l'Assemblée nationale s'annoncent longs et difficiles pour la majorité.",
  de: 'Die Bundesregierung hat am Mittwoch einen neuen Haushaltsentwurf vorgelegt. Die Opposition kritisierte die geplanten Kürzungen bei den Sozialausgaben scharf und kündigte Widerstand im Bundestag an.',
  es: 'El gobierno anunció el martes un nuevo plan económico para reducir el desempleo juvenil. Los sindicatos consideran que las medidas son insuficientes y convocaron una huelga para la próxima semana.',
  ja: '日本銀行は金曜日、金融政策決定会合で政策金利を据え置くことを決めた。物価の上昇が続く中、市場では追加の利上げがいつ行われるかに注目が集まっている。',
  en: 'The government announced a new economic plan on Tuesday to cut youth unemployment, but the unions said the measures were not enough and called a strike for next week.',
};

describe('language detection', () => {
  for (const [code, text] of Object.entries(paragraphs)) {
    it(`detects ${code}`, () => {
      const detected = detectLanguage(text);
      expect(detected.code).toBe(code);
      expect(detected.confidence).toBeGreaterThan(0.5);
      expect(detected.confidence).toBeLessThanOrEqual(1);
    });
  }

  it('says und for text too short to tell', () => {
    expect(detectLanguage('OK')).toEqual({ code: 'und', confidence: 0 });
  });

  it('gives non-English articles their language and no English-lexicon topic', () => {
    for (const code of ['fr', 'de', 'es', 'ja']) {
      const result = classify({ title: '', paragraphs: [paragraphs[code]!] });
      expect(result.language.code).toBe(code);
      expect(result.topics).toEqual([]);
      expect(result.needsReview).toBe(true);
    }
    const english = classify({ title: 'Unions call strike over jobs plan', paragraphs: [paragraphs.en!] });
    expect(english.language.code).toBe('en');
    expect(english.topics.length).toBeGreaterThan(0);
  });
});
