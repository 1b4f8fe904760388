import { describe, it, expect } from 'vitest';
import iconv from 'iconv-lite';
import { intakeDetailed } from '../../../src/intake/index.js';
import { chooseEncoding } from '../../../src/intake/encoding.js';
import { sourceFile, streamAll } from './helpers.js';

function run(name: string, bytes: Uint8Array) {
  return intakeDetailed(sourceFile(name, bytes), bytes);
}

// Paragraphs long enough for detection to have something to go on.
const TEXTS = {
  'windows-1252': 'Les élèves ont reçu leurs diplômes à la mairie – “une fête” pour le maire, déjà réélu. Où sont les résultats de l’été ? Ça reste à voir, a précisé la préfète.',
  shift_jis: '気象庁は二十四日、東京都心で桜が満開になったと発表した。平年より三日早く、昨年より六日早い。上野公園では多くの花見客が訪れ、にぎわいを見せた。',
  'euc-kr': '서울시는 다음 달부터 지하철 요금을 150원 인상한다고 밝혔다. 시는 적자가 계속 늘어나고 있어 요금 조정이 불가피하다고 설명했다. 시민들은 부담이 커질 것이라고 우려했다.',
  gb18030: '国家统计局今天发布数据显示，今年第一季度国内生产总值同比增长百分之五点三，比去年第四季度加快零点一个百分点。消费对经济增长的贡献率继续提高。',
} as const;

describe('intake encodings', () => {
  for (const [encoding, text] of Object.entries(TEXTS)) {
    it(`decodes ${encoding} declared by <meta charset>`, () => {
      const html = `<!DOCTYPE html><html><head><meta charset="${encoding}"><title>t</title></head><body><p>${text}</p></body></html>`;
      const result = run('page.html', iconv.encode(html, encoding));
      expect(result.encoding).toBe(encoding);
      expect(result.records[0]!.content).toContain(text);
    });

    it(`detects undeclared ${encoding} text`, () => {
      const body = Array.from({ length: 4 }, () => text).join('\n\n');
      const result = run('dump.txt', iconv.encode(body, encoding));
      expect(result.records[0]!.content).toBe(body);
      expect(result.records[0]!.content).not.toContain('\uFFFD');
    });

    it(`decodes a ${encoding} feed from its XML declaration, streamed in 5-byte chunks`, async () => {
      const xml = `<?xml version="1.0" encoding="${encoding}"?><rss version="2.0"><channel><title>Feed</title><item><title>${text.slice(0, 10)}</title><description>${text}</description></item></channel></rss>`;
      const { records, report } = await streamAll('feed.xml', iconv.encode(xml, encoding), 5);
      expect(report.encoding).toBe(encoding);
      expect(records[0]!.content).toBe(text);
      expect(records[0]!.hints.title).toBe(text.slice(0, 10));
    });
  }

  it('decodes a JSON lines file in Shift_JIS detected from its bytes', () => {
    const lines = [TEXTS.shift_jis, TEXTS.shift_jis.slice(5)].map((t, i) => JSON.stringify({ id: i, title: `t${i}`, text: t })).join('\n');
    const result = run('crawl.jsonl', iconv.encode(lines, 'shift_jis'));
    expect(result.encoding).toBe('shift_jis');
    expect(result.records.map((r) => r.content)).toEqual([TEXTS.shift_jis, TEXTS.shift_jis.slice(5)]);
  });

  it('honours a UTF-8 BOM and a UTF-16LE BOM', () => {
    const text = 'Zoë’s café — ok';
    const utf8 = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
    expect(run('a.txt', utf8).records[0]!.content).toBe(text);
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`<html><body><p>${text}</p></body></html>`, 'utf16le')]);
    const result = run('a.txt', utf16);
    expect(result.format).toBe('html');
    expect(result.encoding).toBe('utf-16le');
    expect(result.records[0]!.content).toContain(text);
  });

  it('reads ISO-8859-7 (Greek) declared in the page', () => {
    const text = 'Η Βουλή ψήφισε τον νέο προϋπολογισμό.';
    const html = `<html><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-7"></head><body><p>${text}</p></body></html>`;
    expect(run('gr.html', iconv.encode(html, 'iso-8859-7')).records[0]!.content).toContain(text);
  });

  it('prefers valid UTF-8 bytes over a Latin-1 declaration (a common CMS lie)', () => {
    const html = '<html><head><meta charset="iso-8859-1"></head><body><p>Müller’s café</p></body></html>';
    const result = run('lie.html', Buffer.from(html, 'utf8'));
    expect(result.encoding).toBe('utf-8');
    expect(result.records[0]!.content).toContain('Müller’s café');
  });

  it('decodes invalid UTF-8 with no declaration as windows-1252 instead of failing', () => {
    // Short and ambiguous: detection has little to go on; the fallback must still map every byte.
    const bytes = Buffer.from([0x43, 0x61, 0x66, 0xe9, 0x20, 0x93, 0x6f, 0x6b, 0x94, 0x20, 0x81]);
    const result = run('short.txt', bytes);
    expect(result.records[0]!.content).not.toContain('\uFFFD');
    expect(result.records[0]!.content.startsWith('Caf')).toBe(true);
    expect(chooseEncoding({ head: Buffer.from([0xe9]) }).evidence).not.toBe('valid-utf8');
  });

  it('uses the WARC HTTP header charset before detection', () => {
    const body = iconv.encode(`<html><body><p>${TEXTS['euc-kr']}</p></body></html>`, 'euc-kr');
    const choice = chooseEncoding({ head: body, transport: 'EUC-KR' });
    expect(choice).toEqual({ encoding: 'euc-kr', evidence: 'transport' });
  });
});
