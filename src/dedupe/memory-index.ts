/** In-process dedupe index for `copydesk process` and tests: exact matches by content hash. */
import type { DedupeResult } from '../schema/pipeline.js';
import type { DedupeCandidate, DedupeIndex } from './index-types.js';

export class MemoryDedupeIndex implements DedupeIndex {
  private readonly byHash = new Map<string, string>();
  private readonly decided = new Map<string, DedupeResult>();

  async decide(c: DedupeCandidate): Promise<DedupeResult> {
    const earlier = this.decided.get(c.articleId);
    if (earlier) return earlier;
    const canonical = this.byHash.get(c.contentHash);
    let result: DedupeResult;
    if (canonical === undefined || canonical === c.articleId) {
      this.byHash.set(c.contentHash, c.articleId);
      result = { contentHash: c.contentHash, clusterId: c.articleId, duplicateOf: null, similarity: 1, method: null };
    } else {
      result = { contentHash: c.contentHash, clusterId: canonical, duplicateOf: canonical, similarity: 1, method: 'exact' };
    }
    this.decided.set(c.articleId, result);
    return result;
  }
}
