import { createHash } from 'node:crypto';

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * A stable article id: the same article text from the same source file gets the same id on
 * every run, in the pipeline and in `copydesk process` alike. A copy of the text arriving in
 * another file gets another id (and is marked as a duplicate by the dedupe stage).
 */
export function articleId(fileSha256: string, articleKey: string, contentHash: string): string {
  return sha256Hex(`${fileSha256}\n${articleKey}\n${contentHash}`).slice(0, 24);
}
