/**
 * Character-level repairs for text dumps: HTML entities left in pasted text, UTF-8 read as
 * windows-1252 ("â€™" → "’"), invisible characters. Input: a string. Output: the repaired
 * string and whether anything changed. Errors: none.
 */

// windows-1252 bytes 0x80–0x9F that are not the same code point as the byte.
const CP1252_HIGH: Record<string, number> = {
  '€': 0x80, '‚': 0x82, 'ƒ': 0x83, '„': 0x84, '…': 0x85, '†': 0x86, '‡': 0x87, 'ˆ': 0x88, '‰': 0x89,
  'Š': 0x8a, '‹': 0x8b, 'Œ': 0x8c, 'Ž': 0x8e, '‘': 0x91, '’': 0x92, '“': 0x93, '”': 0x94, '•': 0x95,
  '–': 0x96, '—': 0x97, '˜': 0x98, '™': 0x99, 'š': 0x9a, '›': 0x9b, 'œ': 0x9c, 'ž': 0x9e, 'Ÿ': 0x9f,
};
const CONTINUATION = `[\\u0080-\\u00BF${Object.keys(CP1252_HIGH).join('')}]`;
// A UTF-8 lead byte (Â–ô) shown as Latin-1 followed by its continuation bytes shown as cp1252.
const MOJIBAKE_RUN = new RegExp(`[\\u00C2-\\u00F4]${CONTINUATION}{1,3}`, 'gu');
const utf8 = new TextDecoder('utf-8', { fatal: true });

function asCp1252Bytes(s: string): Uint8Array | null {
  const bytes: number[] = [];
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    const mapped = CP1252_HIGH[ch] ?? (code < 0x100 ? code : undefined);
    if (mapped === undefined) return null;
    bytes.push(mapped);
  }
  return Uint8Array.from(bytes);
}

/** Re-reads each run that looks like UTF-8 seen through windows-1252; keeps runs that do not decode. */
export function repairMojibake(text: string): string {
  return text.replace(MOJIBAKE_RUN, (run) => {
    const bytes = asCp1252Bytes(run);
    if (!bytes) return run;
    try {
      const decoded = utf8.decode(bytes);
      return decoded.length < run.length ? decoded : run;
    } catch {
      return run;
    }
  });
}

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', ndash: '–', mdash: '—', hellip: '…',
  lsquo: '‘', rsquo: '’', ldquo: '“', rdquo: '”', laquo: '«', raquo: '»', copy: '©', reg: '®',
  trade: '™', deg: '°', eacute: 'é', egrave: 'è', aacute: 'á', agrave: 'à', oacute: 'ó', uacute: 'ú',
  iacute: 'í', ntilde: 'ñ', ouml: 'ö', uuml: 'ü', auml: 'ä', ccedil: 'ç', euro: '€', pound: '£',
  yen: '¥', middot: '·', bull: '•', shy: '', zwj: '', zwnj: '', thinsp: ' ', ensp: ' ', emsp: ' ',
};

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z][a-z0-9]{1,8});/giu, (whole, body: string) => {
    if (body[0] === '#') {
      const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : whole;
    }
    return NAMED_ENTITIES[body] ?? NAMED_ENTITIES[body.toLowerCase()] ?? whole;
  });
}

/** Non-breaking and odd spaces become plain spaces; zero-width characters and soft hyphens go. */
export function normalizeInvisibles(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/[\u00A0\u2000-\u200A\u202F\u205F\u3000\t]/gu, ' ')
    .replace(/[\u200B-\u200D\u2060\uFEFF\u00AD]/gu, '');
}
