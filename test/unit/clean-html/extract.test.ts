import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { extractHtml } from '../../../src/clean/html/index.js';
import { BlockSchema, CaptionSchema, CutNoteSchema, PageMetaSchema } from '../../../src/schema/pipeline.js';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/html');
const page = (name: string) => extractHtml(readFileSync(path.join(fixtures, name), 'utf8'));
const bodyOf = (r: ReturnType<typeof extractHtml>) => r.blocks.map((b) => b.text).join('\n');

describe('extractHtml on a news article with every kind of chrome', () => {
  const r = page('news-article.html');
  const body = bodyOf(r);

  it('keeps the article text in reading order', () => {
    const phrases = [
      'Councillors in the harbour town voted on Monday night',
      'The decision, passed by eleven votes to three',
      'What the plan includes',
      'Drainage gates that close automatically',
      'Residents who packed the public gallery',
      'built for the storms of the last century',
      'Engineers told the meeting',
      'The council will publish detailed drawings next month',
    ];
    const positions = phrases.map((p) => body.indexOf(p));
    expect(positions.every((p) => p >= 0), `missing: ${phrases.filter((_, i) => positions[i]! < 0).join(' / ')}`).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it('drops page chrome', () => {
    for (const chrome of [
      'We use cookies', 'Share on Facebook', 'Advertisement', 'Sign up for our free morning newsletter',
      'Storm damage bill tops', 'My basement has flooded', 'Ferry timetable', 'All rights reserved', 'Weather',
      'By Maria Lindqvist',
    ]) {
      expect(body, chrome).not.toContain(chrome);
    }
  });

  it('types blocks: heading, list items, quote, table', () => {
    expect(r.blocks.find((b) => b.text === 'What the plan includes')).toMatchObject({ type: 'heading', level: 2 });
    expect(r.blocks.filter((b) => b.type === 'list-item')).toHaveLength(2);
    expect(r.blocks.find((b) => b.type === 'quote')?.text).toContain('patching a wall');
    const table = r.blocks.find((b) => b.type === 'table');
    expect(table?.text.split('\n')).toEqual(['Phase | Years | Cost', 'Eastern quay | 2024–2025 | £4.1m', 'Western quay | 2026–2027 | £3.2m']);
    expect(r.blocks.every((b) => BlockSchema.safeParse(b).success)).toBe(true);
  });

  it('does not repeat the title in the body', () => {
    expect(body).not.toContain('Harbour town votes to rebuild its sea wall');
  });

  it('keeps captions apart from the body', () => {
    expect(r.captions).toEqual([{ text: 'Waves break over the old wall in January.', credit: 'Photo: Jonas Berg' }]);
    expect(body).not.toContain('Waves break');
    expect(r.captions.every((c) => CaptionSchema.safeParse(c).success)).toBe(true);
  });

  it('explains the cuts inside the article with the rule that made them', () => {
    expect(r.notes.every((n) => CutNoteSchema.safeParse(n).success && n.stage === 'clean')).toBe(true);
    const ruleFor = (text: string) => r.notes.find((n) => n.text?.includes(text))?.rule;
    expect(ruleFor('Share on Facebook')).toMatch(/^class:shar/);
    expect(ruleFor('Get the Gazette in your inbox')).toMatch(/^class:newsletter/);
    expect(ruleFor('Storm damage bill')).toMatch(/^class:related/);
    expect(ruleFor('Advertisement')).toBeDefined();
  });

  it('reads the metadata', () => {
    expect(PageMetaSchema.parse(r.meta)).toEqual({
      title: 'Harbour town votes to rebuild its sea wall',
      authors: ['Maria Lindqvist'],
      publishedAt: '2024-03-05T08:30:00.000Z',
      modifiedAt: '2024-03-05T11:02:00.000Z',
      siteName: 'The Coastal Gazette',
      canonicalUrl: 'https://gazette.example/local/sea-wall-vote',
      language: 'en',
      description: 'Councillors approved a four-year plan after winter storms breached the old wall twice.',
      section: 'Local news',
      tags: ['Flooding', 'Infrastructure'],
      leadImage: 'https://gazette.example/img/seawall-lead.jpg',
    });
  });
});

describe('extractHtml on a WordPress post', () => {
  const r = page('blog-post.html');
  const body = bodyOf(r);

  it('keeps the post even though its classes name a "social-media" tag', () => {
    expect(body).toContain('Viele Leserinnen und Leser haben mir geschrieben');
    expect(body).toContain('am Samstagmorgen kommt das Brot in den Ofen');
    expect(r.blocks.find((b) => b.text === 'Mein Wochenplan')?.type).toBe('heading');
  });

  it('drops the comments, the sidebar, the meta line and the tag list', () => {
    for (const chrome of ['Vielen Dank für diese Anleitung', 'Dinkelvollkornmehl', 'Neueste Beiträge', '12. Februar 2023', 'Schlagwörter']) {
      expect(body, chrome).not.toContain(chrome);
    }
  });

  it('reads metadata from plain meta tags and strips the site from the title', () => {
    expect(r.meta.title).toBe('Sauerteig ohne Stress');
    expect(r.meta.authors).toEqual(['Petra Vogel']);
    expect(r.meta.language).toBe('de');
    expect(r.meta.tags).toEqual(['Brot', 'Sauerteig', 'Backen']);
  });
});

describe('extractHtml on a short story above a list of teasers', () => {
  const r = page('teaser-list.html');
  const body = bodyOf(r);

  it('picks the story, not the longer list of other stories', () => {
    expect(body).toContain('The central library will stay open until nine');
    expect(body).toContain('two new part-time posts');
    expect(body).not.toContain('expansion joints');
    expect(body).not.toContain('Swimming pool reopens');
  });
});

describe('extractHtml when class names lie', () => {
  const r = page('content-named-paywall.html');
  const body = bodyOf(r);

  it('keeps an article body whose wrapper is also called "paywall", drops the hidden cookie dialog', () => {
    expect(body).toContain('Les vignerons alsaciens ont commencé la vendange');
    expect(body).toContain('du jamais vu selon les plus anciens');
    expect(body).not.toContain('Ce site utilise des cookies');
    expect(body).not.toContain('Abonnez-vous');
    expect(r.meta.language).toBe('fr');
  });
});

describe('extractHtml on degenerate input', () => {
  it('returns no blocks and a note for a page without prose', () => {
    const r = extractHtml('<html><body><nav><a href="/">Home</a></nav></body></html>');
    expect(r.blocks).toEqual([]);
    expect(r.notes.map((n) => n.rule)).toContain('no-main-content');
  });

  it('accepts an HTML fragment without html/body', () => {
    const r = extractHtml('<p>A fragment with one paragraph that is long enough to count as prose for the extractor.</p>');
    expect(bodyOf(r)).toBe('A fragment with one paragraph that is long enough to count as prose for the extractor.');
  });
});

describe('extractHtml with JSON-LD articleBody as evidence', () => {
  const r = page('json-ld-evidence.html');
  const body = bodyOf(r);

  it('prefers the block that agrees with articleBody over a longer block of other prose', () => {
    expect(body).toContain('A family orchard on the edge of the village');
    expect(body).toContain('Winter Queening');
    expect(body).not.toContain('Readers write');
    expect(r.notes.map((n) => n.rule)).toContain('json-ld-articleBody-evidence');
  });

  it('keeps the scoring when articleBody is only a short teaser', () => {
    const html = readFileSync(path.join(fixtures, 'json-ld-evidence.html'), 'utf8').replace(
      /"articleBody":"[^"]*"/,
      '"articleBody":"A family orchard has won an award."',
    );
    const teaser = extractHtml(html);
    expect(teaser.notes.map((n) => n.rule)).not.toContain('json-ld-articleBody-evidence');
    expect(bodyOf(teaser)).toContain('Readers write');
  });
});

describe('extractHtml on malformed markup', () => {
  it('survives thousands of unclosed tags and keeps their text', () => {
    const sentence = 'Deeply nested text that is long enough to be counted as prose by the extractor.';
    const r = extractHtml(`${'<div>'.repeat(20000)}<p>${sentence} ${sentence}</p>`);
    expect(bodyOf(r)).toContain(sentence);
  });
});

describe('extractHtml captions', () => {
  const prose = '<p>The ferry resumed its winter timetable on Monday after three weeks of repairs to the landing stage, the operator said in a statement.</p>';
  const captionsOf = (figure: string) => extractHtml(`<article>${prose}${figure}${prose}</article>`).captions;

  it('splits a trailing agency credit from the caption text', () => {
    expect(captionsOf('<figure><img src="a.jpg"><figcaption>Passengers board the first ferry. (Getty Images)</figcaption></figure>')).toEqual([
      { text: 'Passengers board the first ferry.', credit: 'Getty Images' },
    ]);
  });

  it('keeps a caption without a credit whole', () => {
    expect(captionsOf('<div class="wp-caption"><img src="b.jpg"><p class="wp-caption-text">The repaired landing stage.</p></div>')).toEqual([
      { text: 'The repaired landing stage.' },
    ]);
  });
});

describe('extractHtml metadata fallbacks', () => {
  it('reads authors from rel=author markup when meta tags and JSON-LD have none, and the title from <title>', () => {
    const r = extractHtml(`<html><head><title>Night buses return - Metro Daily</title></head><body><article>
      <p class="byline">By <a rel="author" href="/a/tom">Tom Okafor</a> and <a rel="author" href="/a/li">Li Wei</a></p>
      <p>Night buses will run again on the three busiest routes from December, the transport authority confirmed after a trial.</p></article></body></html>`);
    expect(r.meta.authors).toEqual(['Tom Okafor', 'Li Wei']);
    expect(r.meta.title).toBe('Night buses return');
  });
});

describe('extractHtml on a page whose content is a data table', () => {
  it('picks the short intro with its standings table over longer sidebar blurbs', () => {
    const cells = (i: number) => [i + 1, `Driver ${String.fromCharCode(65 + i)}`, 5000 - i * 37, 7 - (i % 7), i % 3, 17 - i, 27 - i];
    const rows = Array.from({ length: 16 }, (_, i) => `<tr>${cells(i).map((c) => `<td>${c}</td>`).join('')}</tr>`).join('');
    const widget = (text: string) => `<div class="sidebar-module"><div class="textwidget"><p>${text}</p></div></div>`;
    const r = extractHtml(`<body><div class="container"><div class="main"><p>Standings after the final race of the season:</p>
      <table><tr><th>Pos.</th><th>Driver</th><th>Points</th><th>Wins</th><th>Poles</th><th>Top 5</th><th>Top 10</th></tr>${rows}</table></div>
      <aside class="sidebar">${widget('Find out when the next race is on television, with practice and qualifying times, the tyres in use and the weather forecast for the weekend.')}
      ${widget('Follow our live coverage of every session of the championship, with commentary, timing and the reactions of drivers and team principals.')}</aside></div></body>`);
    const table = r.blocks.find((b) => b.type === 'table');
    expect(table?.text.split('\n')).toHaveLength(17);
    expect(table?.text).toContain('1 | Driver A | 5000 | 7 | 0 | 17 | 27');
    expect(bodyOf(r)).toContain('Standings after the final race');
    expect(bodyOf(r)).not.toContain('live coverage');
  });
});

describe('extractHtml on a page saved with a dialog open', () => {
  it('keeps the article when the page wrapper carries aria-hidden behind the dialog', () => {
    const r = extractHtml(`<body><div id="page" aria-hidden="true"><article>
      <p>The river ferry will carry bicycles free of charge from June, the operator announced, after a petition gathered four thousand signatures.</p>
      <p>Cyclists currently pay two euros per crossing, which campaigners say discourages commuters from leaving their cars at home.</p>
      </article></div><div role="dialog" class="consent-modal"><p>We value your privacy. Accept all cookies to continue reading our journalism.</p></div></body>`);
    expect(bodyOf(r)).toContain('The river ferry will carry bicycles free of charge');
    expect(bodyOf(r)).not.toContain('We value your privacy');
  });
});

describe('extractHtml with a list of other stories inside the article', () => {
  const p = (text: string) => `<p>${text} The council confirmed the figures in a statement released on Wednesday afternoon.</p>`;
  const r = extractHtml(`<article>${p('Tram services will run every six minutes from January.')}
    <h4>More:</h4><ul><li>Bridge closure extended to spring</li><li>Cycle lanes planned for the old town</li></ul>
    ${p('Fares will not change until the summer timetable.')}
    <div class="heading-h3">More great stories</div><ul><li>Why the city buys so many trams</li></ul></article>`);
  const body = bodyOf(r);

  it('cuts the announced lists and keeps the article that continues after them', () => {
    expect(body).toContain('Tram services will run every six minutes');
    expect(body).toContain('Fares will not change until the summer timetable');
    expect(body).not.toContain('Bridge closure');
    expect(body).not.toContain('buys so many trams');
    expect(r.notes.filter((n) => n.rule === 'related-heading').map((n) => n.text)).toEqual(['More:', 'More great stories']);
    expect(r.notes.filter((n) => n.rule === 'after-related-heading')).toHaveLength(2);
  });
});
