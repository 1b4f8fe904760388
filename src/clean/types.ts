import type { Block, Caption, CutNote, PageMeta } from '../schema/pipeline.js';

/** What both cleaners (HTML and text dump) return. */
export interface Extracted {
  meta: PageMeta;
  blocks: Block[];
  captions: Caption[];
  notes: CutNote[];
}
