/**
 * Mojibake repair: text that was UTF-8 but got decoded as windows-1252 or ISO-8859-1
 * ("â€™" → "’", "Ã©" → "é"), including text that went through that mistake twice.
 * Input: a string. Output: the repaired string (and how many runs changed). Errors: none.
 * Pure and dependency-free so any stage can call it.
 *
 * Why run-by-run and not the whole string: dumps mix correct and broken text (a correct
 * title above a broken body), and re-encoding the whole string would break the correct part.
 * A run is only replaced when its bytes are valid UTF-8 that decodes to fewer characters,
 * so real Latin text ("Ãgua", "naïve") is left alone.
 */

// windows-1252 shows bytes 0x80–0x9F as these characters; ISO-8859-1 shows them as C1 controls.
const CP1252_BYTE: ReadonlyMap<string, number> = new Map([
  ['€', 0x80], ['‚', 0x82], ['ƒ', 0x83], ['„', 0x84], ['…', 0x85], ['†', 0x86], ['‡', 0x87], ['ˆ', 0x88],
  ['‰', 0x89], ['Š', 0x8a], ['‹', 0x8b], ['Œ', 0x8c], ['Ž', 0x8e], ['‘', 0x91], ['’', 0x92], ['“', 0x93],
  ['”', 0x94], ['•', 0x95], ['–', 0x96], ['—', 0x97], ['˜', 0x98], ['™', 0x99], ['š', 0x9a], ['›', 0x9b],
  ['œ', 0x9c], ['ž', 0x9e], ['Ÿ', 0x9f],
]);

const CONTINUATION_CLASS = `[\\u0080-\\u00BF${[...CP1252_BYTE.keys()].join('')}]`;
// One UTF-8 character seen as Latin-1/cp1252: a lead byte (Â..ô) and the continuation bytes it needs.
// Sequences are repaired one by one so an invalid one does not spoil its neighbours.
const SUSPECT_SEQUENCE = new RegExp(`[\\u00C2-\\u00DF]${CONTINUATION_CLASS}|[\\u00E0-\\u00EF]${CONTINUATION_CLASS}{2}|[\\u00F0-\\u00F4]${CONTINUATION_CLASS}{3}`, 'g');
const QUICK_CHECK = /[\u00C2-\u00F4][\u0080-\u00BF\u0152\u0153\u0160\u0161\u0178\u017D\u017E\u0192\u02C6\u02DC\u2013-\u2022\u2026\u2030\u2039\u203A\u20AC\u2122]/;

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function toBytes(run: string): Uint8Array | undefined {
  const bytes = new Uint8Array(run.length);
  let i = 0;
  for (const ch of run) {
    const code = ch.codePointAt(0)!;
    const byte = code < 0x100 ? code : CP1252_BYTE.get(ch);
    if (byte === undefined) return undefined;
    bytes[i++] = byte;
  }
  return bytes.subarray(0, i);
}

function repairRun(run: string): string {
  const bytes = toBytes(run);
  if (!bytes) return run;
  try {
    const decoded = strictUtf8.decode(bytes);
    return decoded.length < run.length ? decoded : run;
  } catch {
    return run;
  }
}

/** True when the text holds at least one sequence typical of UTF-8 read as a single-byte code page. */
export function looksLikeMojibake(text: string): boolean {
  return QUICK_CHECK.test(text);
}

export interface MojibakeRepair {
  text: string;
  /** How many broken runs were replaced. */
  repaired: number;
}

/** Repairs every broken run; two passes undo text that was mis-decoded twice. */
export function repairMojibakeDetailed(text: string): MojibakeRepair {
  let current = text;
  let repaired = 0;
  for (let pass = 0; pass < 2 && looksLikeMojibake(current); pass++) {
    let changedThisPass = 0;
    current = current.replace(SUSPECT_SEQUENCE, (run) => {
      const fixed = repairRun(run);
      if (fixed !== run) changedThisPass++;
      return fixed;
    });
    if (changedThisPass === 0) break;
    repaired += changedThisPass;
  }
  return { text: current, repaired };
}

export function repairMojibake(text: string): string {
  return repairMojibakeDetailed(text).text;
}
