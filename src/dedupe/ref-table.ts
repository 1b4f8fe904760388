/**
 * The in-process index's buckets: a multimap from (tag, 32-bit key) to article refs, in typed
 * arrays (9 bytes a ref) instead of a Map of arrays (~150 bytes a ref), so `copydesk process`
 * can remember hundreds of thousands of articles in bounded memory. Each bucket keeps its
 * newest `maxRefs` live refs, as the Redis index's buckets do. Refs the caller declares dead
 * (evicted or expired articles) are ignored, reused in place and dropped when the table is
 * rebuilt. Pure data structure, no errors.
 *
 * Open addressing with linear probing; a bucket's refs are the slots on its probe path that
 * carry its tag and key, up to the first empty slot.
 */
import { fmix32 } from './hash.js';

const MIN_SLOTS = 1024;
/** Live and dead refs fill at most this share of the slots before the table is rebuilt. */
const MAX_FILL = 0.75;
/** A rebuilt table is sized so its live refs fill this share. */
const REBUILT_FILL = 0.5;
const TAG_MIX = 0x9e3779b9;

export class RefTable {
  private keys: Uint32Array;
  /** 0: empty slot (refs start at 1). */
  private refs: Uint32Array;
  private tags: Uint8Array;
  /** Non-empty slots, live or dead. */
  private filled = 0;

  constructor(
    private readonly maxRefs: number,
    private readonly isLive: (ref: number) => boolean,
    slots = MIN_SLOTS,
  ) {
    this.keys = new Uint32Array(slots);
    this.refs = new Uint32Array(slots);
    this.tags = new Uint8Array(slots);
  }

  /** The bucket's live refs, at most `maxRefs`, newest first. */
  get(tag: number, key: number): number[] {
    const found: number[] = [];
    const n = this.refs.length;
    for (let i = this.home(tag, key); this.refs[i] !== 0; i = i + 1 === n ? 0 : i + 1) {
      if (this.keys[i] === key && this.tags[i] === tag && this.isLive(this.refs[i]!)) found.push(this.refs[i]!);
    }
    return found.sort((a, b) => b - a).slice(0, this.maxRefs);
  }

  /** Adds a ref newer than every ref already in the bucket; past `maxRefs` it replaces the oldest. */
  add(tag: number, key: number, ref: number): void {
    const n = this.refs.length;
    let live = 0;
    let oldest = -1;
    let reusable = -1;
    let i = this.home(tag, key);
    for (; this.refs[i] !== 0; i = i + 1 === n ? 0 : i + 1) {
      const r = this.refs[i]!;
      if (!this.isLive(r)) {
        if (reusable < 0) reusable = i;
      } else if (this.keys[i] === key && this.tags[i] === tag) {
        live++;
        if (oldest < 0 || r < this.refs[oldest]!) oldest = i;
      }
    }
    if (live >= this.maxRefs) return this.put(oldest, tag, key, ref);
    if (reusable >= 0) return this.put(reusable, tag, key, ref);
    this.put(i, tag, key, ref);
    if (++this.filled > MAX_FILL * n) this.rebuild();
  }

  /** Bytes held, for figures and tests. */
  get bytes(): number {
    return this.refs.length * 9;
  }

  private put(i: number, tag: number, key: number, ref: number): void {
    this.keys[i] = key;
    this.refs[i] = ref;
    this.tags[i] = tag;
  }

  private home(tag: number, key: number): number {
    // any table size, not only powers of two: a rebuilt table is sized to its live refs
    return Math.floor((fmix32((key ^ Math.imul(tag + 1, TAG_MIX)) >>> 0) / 0x1_0000_0000) * this.refs.length);
  }

  /** Drops dead refs and resizes to the live ones (grows when they are many, shrinks after evictions). */
  private rebuild(): void {
    const { keys, refs, tags } = this;
    const order: number[] = [];
    for (let i = 0; i < refs.length; i++) if (refs[i] !== 0 && this.isLive(refs[i]!)) order.push(i);
    // oldest first, so the newest-wins cap sees the refs in the order they came
    order.sort((a, b) => refs[a]! - refs[b]!);
    const slots = Math.max(MIN_SLOTS, Math.ceil(order.length / REBUILT_FILL));
    this.keys = new Uint32Array(slots);
    this.refs = new Uint32Array(slots);
    this.tags = new Uint8Array(slots);
    this.filled = 0;
    for (const i of order) this.add(tags[i]!, keys[i]!, refs[i]!);
  }
}
