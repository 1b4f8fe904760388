/**
 * What both indexes key articles by, besides LSH bands: the article id (a retry gets the same
 * answer) and the content hash (exact copies), each as a 32-bit bucket key, and the bound on
 * an id's length (ids are stored in fixed-size record fields). Pure; a bad id is bad input.
 */
import { badInput, ERROR_CODES } from '../errors.js';
import { fnv1a } from './hash.js';
import { RECORD_ID_BYTES } from './redis-script.js';

/** Seeds that keep id, exact-hash and band refs in separate buckets. */
const ID_SEED = 0x1d;
const EXACT_SEED = 0xe7;

export function idKey(articleId: string): number {
  return fnv1a(articleId, 0, articleId.length, ID_SEED);
}

export function exactKey(contentHash: string): number {
  return fnv1a(contentHash, 0, contentHash.length, EXACT_SEED);
}

export function checkArticleId(id: string): void {
  if (id.length === 0 || Buffer.byteLength(id) > RECORD_ID_BYTES) {
    throw badInput(ERROR_CODES.BAD_PAYLOAD, `dedupe: article id must be 1..${RECORD_ID_BYTES} bytes, got ${JSON.stringify(id)}`);
  }
}
