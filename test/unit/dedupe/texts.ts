/** Seeded news-like texts for the dedupe tests: distinct stories share words, never passages. */
import { normalizeForHash, contentHash } from '../../../src/dedupe/normalize.js';
import type { Redis } from 'ioredis';
import type { DedupeCandidate } from '../../../src/dedupe/index-types.js';
import { seededRandom } from '../../../src/random.js';
import { corrupt } from '../../bench/lib/dedupe-data.js';

export const seeded = seededRandom;

const random = seeded(42);
const VOCABULARY = Array.from({ length: 3000 }, () =>
  Array.from({ length: 2 + Math.floor(random() * 8) }, () => 'abcdefghijklmnopqrstuvwxyz'[Math.floor(random() * 26)]).join(''),
);

/** A story of `words` words drawn from a shared vocabulary. */
export function story(seed: number, words: number): string {
  const r = seeded(seed);
  return Array.from({ length: words }, () => VOCABULARY[Math.floor(r() * VOCABULARY.length)]).join(' ');
}

export function candidate(articleId: string, text: string): DedupeCandidate {
  return { articleId, contentHash: contentHash([text]), normalizedText: normalizeForHash(text) };
}

/** The first `share` of a text's words: a truncated copy. */
export function truncated(text: string, share: number): string {
  const words = text.split(' ');
  return words.slice(0, Math.round(words.length * share)).join(' ');
}

/** Removes a test's keys (tests share the Redis on 6379, each under its own prefix). */
export async function deleteKeys(client: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    if (keys.length) await client.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}

/** Real-looking English news (invented), for what depends on the text being English: the noise estimate. */
export const ARTICLE = `Harbour council approves flood barrier after decade of delays

The city council has approved a £240m flood barrier for the harbour, ending more than ten years of arguments over how to protect the low-lying east of the city from rising tides.

Councillors voted 31 to 12 in favour of the scheme on Tuesday evening, after a debate that lasted almost five hours. The barrier, a series of steel gates across the mouth of the harbour, is expected to be finished by 2029.

Supporters said the vote was long overdue. "Every winter we have families sandbagging their front doors and praying the water stops at the kerb," said the council leader, Maria Okafor. "Tonight we finally decided to stop praying and start building."

Opponents argued that the cost had doubled since the first plans were drawn up and that the money would be better spent raising sea walls along the most exposed streets. Several fishing businesses also warned that the gates could disrupt boats leaving the harbour at night.

The Environment Agency, which will pay for about half of the project, said the barrier would protect around 14,000 homes and 900 businesses. Without it, the agency estimates that a major storm surge could cause damage worth more than £1bn.

Work on the foundations is due to begin next spring. The council said it would hold public meetings in each affected ward before construction starts, and that a compensation fund would be set up for businesses that lose trade while the harbour entrance is partly closed.`;

/** A same-topic follow-up that quotes two paragraphs of ARTICLE: a hard negative. */
export const FOLLOW_UP = `Fishing fleet demands night access as barrier work nears

Fishing crews in the harbour say they will take legal action unless the council guarantees that boats can leave and return at night while the new flood barrier is being built.

Councillors voted 31 to 12 in favour of the scheme on Tuesday evening, after a debate that lasted almost five hours. The barrier, a series of steel gates across the mouth of the harbour, is expected to be finished by 2029.

The skippers' association, which represents 46 boats, said most of its members sail between midnight and four in the morning to reach the best grounds by dawn. Its chairman, Tom Reilly, said a single week of closures could wipe out a month of income for smaller crews.

"Nobody here is against the barrier," he said. "We have all had water in our sheds. But if the contractors shut the channel every night for two years, there will be no fleet left to protect."

Work on the foundations is due to begin next spring. The council said it would hold public meetings in each affected ward before construction starts, and that a compensation fund would be set up for businesses that lose trade while the harbour entrance is partly closed.

A council spokesperson said talks with the association were continuing and that night-time access would be kept open wherever engineers judged it safe. The contractors are expected to publish a detailed timetable for the works in the autumn.`;

/** OCR-style noise, exactly as in the dedupe benchmark (test/bench/lib/dedupe-data.ts), from a seed. */
export function corrupted(text: string, rate: number, seed: number): string {
  return corrupt(text, rate, seeded(seed));
}
