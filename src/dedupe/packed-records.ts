/**
 * The in-process index's article records, packed as the Redis index packs them (see
 * redis-script.ts: three ids of up to RECORD_ID_BYTES, time, shingle count, similarity,
 * method, noise survival, signature) in blocks of RECORDS_PER_BLOCK. At most `maxRecords`
 * are kept: past that, the oldest block is dropped whole, as Redis drops a record block when
 * it expires. Pure data structure; ids longer than RECORD_ID_BYTES are the caller's to refuse.
 */
import { RECORD_ID_BYTES, RECORDS_PER_BLOCK } from './redis-script.js';

const ID_FIELD = 1 + RECORD_ID_BYTES;
const AT = 3 * ID_FIELD;
const SIZE = AT + 8;
const SIMILARITY = SIZE + 4;
const METHOD = SIMILARITY + 2;
const SURVIVAL = METHOD + 1;
const SIGNATURE = SURVIVAL + 1;

export const METHOD_CODES = { exact: 1, near: 2 } as const;
export type MethodName = keyof typeof METHOD_CODES;

export interface PackedRecord {
  id: string;
  clusterId: string;
  /** '' for a canonical article. */
  duplicateOf: string;
  at: number;
  size: number;
  /** 1/10000ths. */
  similarity: number;
  method: MethodName | null;
  survival: number;
  signature: Uint8Array;
}

export class PackedRecords {
  private readonly blocks = new Map<number, Buffer>();
  private readonly recordBytes: number;
  private readonly maxBlocks: number;
  /** Refs below this were dropped with their block. */
  private firstKept = 1;

  constructor(
    private readonly slots: number,
    maxRecords: number,
  ) {
    this.recordBytes = SIGNATURE + slots;
    // one block more than the bound: the newest block is usually part-filled
    this.maxBlocks = Math.ceil(maxRecords / RECORDS_PER_BLOCK) + 1;
  }

  /** Whether the record `ref` is still held (it may still be outside the time window). */
  has(ref: number): boolean {
    return ref >= this.firstKept && this.blocks.has(Math.floor(ref / RECORDS_PER_BLOCK));
  }

  put(ref: number, r: PackedRecord): void {
    const block = this.block(Math.floor(ref / RECORDS_PER_BLOCK));
    const off = (ref % RECORDS_PER_BLOCK) * this.recordBytes;
    writeId(block, off, r.id);
    writeId(block, off + ID_FIELD, r.clusterId);
    writeId(block, off + 2 * ID_FIELD, r.duplicateOf);
    block.writeDoubleBE(r.at, off + AT);
    block.writeUInt32BE(r.size, off + SIZE);
    block.writeUInt16BE(r.similarity, off + SIMILARITY);
    block[off + METHOD] = r.method ? METHOD_CODES[r.method] : 0;
    block[off + SURVIVAL] = r.survival;
    block.set(r.signature.subarray(0, this.slots), off + SIGNATURE);
  }

  at(ref: number): number {
    return this.view(ref, (b, off) => b.readDoubleBE(off + AT));
  }

  id(ref: number): string {
    return this.view(ref, (b, off) => readId(b, off));
  }

  /** The stored fingerprint, without copying the signature. */
  fingerprint(ref: number): { seq: number; size: number; survival: number; signature: Uint8Array } {
    return this.view(ref, (b, off) => ({
      seq: ref,
      size: b.readUInt32BE(off + SIZE),
      survival: b[off + SURVIVAL]!,
      signature: b.subarray(off + SIGNATURE, off + SIGNATURE + this.slots),
    }));
  }

  get(ref: number): PackedRecord {
    return this.view(ref, (b, off) => {
      const method = b[off + METHOD]!;
      return {
        id: readId(b, off),
        clusterId: readId(b, off + ID_FIELD),
        duplicateOf: readId(b, off + 2 * ID_FIELD),
        at: b.readDoubleBE(off + AT),
        size: b.readUInt32BE(off + SIZE),
        similarity: b.readUInt16BE(off + SIMILARITY),
        method: method === 1 ? 'exact' : method === 2 ? 'near' : null,
        survival: b[off + SURVIVAL]!,
        signature: b.subarray(off + SIGNATURE, off + SIGNATURE + this.slots),
      };
    });
  }

  /** Bytes held, for figures and tests. */
  get bytes(): number {
    return this.blocks.size * RECORDS_PER_BLOCK * this.recordBytes;
  }

  private view<T>(ref: number, read: (block: Buffer, offset: number) => T): T {
    const block = this.blocks.get(Math.floor(ref / RECORDS_PER_BLOCK));
    if (!block || ref < this.firstKept) throw new RangeError(`dedupe record ${ref} is not held`);
    return read(block, (ref % RECORDS_PER_BLOCK) * this.recordBytes);
  }

  private block(n: number): Buffer {
    let b = this.blocks.get(n);
    if (b) return b;
    b = Buffer.alloc(RECORDS_PER_BLOCK * this.recordBytes);
    this.blocks.set(n, b);
    while (this.blocks.size > this.maxBlocks) {
      const oldest = Math.min(...this.blocks.keys());
      this.blocks.delete(oldest);
      this.firstKept = (oldest + 1) * RECORDS_PER_BLOCK;
    }
    return b;
  }
}

function writeId(b: Buffer, off: number, id: string): void {
  const n = b.write(id, off + 1, RECORD_ID_BYTES, 'utf8');
  b[off] = n;
  b.fill(0, off + 1 + n, off + ID_FIELD);
}

function readId(b: Buffer, off: number): string {
  return b.toString('utf8', off + 1, off + 1 + b[off]!);
}
