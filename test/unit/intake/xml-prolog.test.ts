/**
 * Finding an XML document's root past its prolog is a forward scan: the regex it replaced
 * backtracked exponentially on a run of comments or processing instructions ending in no
 * element (a 500-byte file with 60 comments hung intake, and `copydesk process`, for good).
 */
import { describe, expect, it } from 'vitest';
import { intakeDetailed } from '../../../src/intake/index.js';
import { xmlRootName } from '../../../src/intake/detect.js';
import { CopydeskError } from '../../../src/errors.js';
import { sourceFile } from './helpers.js';

describe('XML prolog', () => {
  it('finds the root past declarations, stylesheets, comments and a doctype', () => {
    expect(xmlRootName('<?xml version="1.0"?>\n<?xml-stylesheet href="a.xsl"?>\n<!-- banner -->\n<!DOCTYPE rss SYSTEM "x">\n<rss version="2.0">')).toBe('rss');
    expect(xmlRootName('  <rdf:RDF xmlns:rdf="r">')).toBe('rdf:RDF');
    expect(xmlRootName('<?xml version="1.0"?><!-- not closed')).toBe('');
    expect(xmlRootName('<?xml version="1.0"?>!')).toBe('');
  });

  it('answers at once on a long run of comments or PIs that ends in no element', () => {
    for (const piece of ['<!--a-->', '<?a?>', ' <!-- b --> ']) {
      const text = `<?xml version="1.0"?>${piece.repeat(60)}!`;
      const started = performance.now();
      expect(xmlRootName(text)).toBe('');
      let code = '';
      try {
        intakeDetailed(sourceFile('crafted.xml', Buffer.from(text)), Buffer.from(text));
      } catch (err) {
        code = (err as CopydeskError).code;
      }
      expect(code).toBe('E_BAD_FEED');
      expect(performance.now() - started).toBeLessThan(1000);
    }
  });
});
