import { describe, expect, it } from 'vitest';
import { htmlToTextDump } from '../../bench/lib/text-dump.js';

describe('htmlToTextDump (the scraper-style flattening used by the extraction bench)', () => {
  it('writes one line per block element and joins inline content', () => {
    const html = `<html><head><title>T</title><style>p{color:red}</style></head><body>
      <nav><a href="/">Home</a> <a href="/news">News</a></nav>
      <h1>Headline</h1><p>First <b>bold</b> and <a href="#">linked</a> words.</p>
      <ul><li>one</li><li>two</li></ul>
      <script>var x = "<p>not text</p>";</script><noscript>Enable JS</noscript>
      <div>Tail<br>after break</div></body></html>`;
    expect(htmlToTextDump(html).split('\n')).toEqual(['Home News', 'Headline', 'First bold and linked words.', 'one', 'two', 'Tail', 'after break']);
  });
});
