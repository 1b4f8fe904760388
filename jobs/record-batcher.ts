/**
 * Gathers the records of the files intake is reading in this process into clean jobs of up to
 * `batchMaxItems` records / `batchMaxBytes` bytes. A batch that is not full is sent after
 * `batchLingerMs`, so a lone small file waits at most that long. `add` resolves once every
 * record given is in a queued job: an intake job never completes with records still in memory.
 */
import type { Queue } from 'bullmq';
import type { Config } from '../src/config.js';
import type { RawRecord } from '../src/schema/pipeline.js';
import type { FileTicket } from './payloads.js';
import { batchJobId } from './batch.js';

interface CleanItem {
  file: FileTicket;
  record: RawRecord;
}

interface Pending {
  items: CleanItem[];
  bytes: number;
  /** Settles when the batch's job is queued (or could not be). */
  queued: Promise<void>;
  settle: { resolve(): void; reject(err: unknown): void };
  timer?: NodeJS.Timeout;
}

export class RecordBatcher {
  private current: Pending | undefined;

  constructor(
    private readonly cleanQueue: Queue,
    private readonly limits: Pick<Config, 'batchMaxItems' | 'batchMaxBytes' | 'batchLingerMs'>,
  ) {}

  async add(file: FileTicket, records: readonly RawRecord[]): Promise<void> {
    const touched = new Set<Pending>();
    for (const record of records) {
      const bytes = record.content.length;
      if (this.current && (this.current.items.length >= this.limits.batchMaxItems || this.current.bytes + bytes > this.limits.batchMaxBytes)) {
        this.send(this.current);
      }
      const batch = (this.current ??= this.open());
      batch.items.push({ file, record });
      batch.bytes += bytes;
      touched.add(batch);
    }
    await Promise.all([...touched].map((b) => b.queued));
  }

  private open(): Pending {
    let settle!: Pending['settle'];
    const queued = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
    queued.catch(() => undefined); // observed by every add() that put items in it
    const batch: Pending = { items: [], bytes: 0, queued, settle };
    batch.timer = setTimeout(() => this.send(batch), this.limits.batchLingerMs);
    return batch;
  }

  private send(batch: Pending): void {
    if (this.current === batch) this.current = undefined;
    clearTimeout(batch.timer);
    const jobId = batchJobId(batch.items.map((i) => ({ file: i.file, key: `r${i.record.index}` })));
    this.cleanQueue.add('clean', { items: batch.items }, { jobId }).then(batch.settle.resolve, batch.settle.reject);
  }
}
