/**
 * intake queue: streams the claimed file through the intake stage and hands its records to
 * the record batcher (clean jobs of a few dozen records, shared with other files), so a 2 GB
 * JSONL never sits in memory. While the clean queue is deep it waits, so Redis does not fill
 * with a whole file's records either.
 */
import { lstat } from 'node:fs/promises';
import { badInput, ERROR_CODES } from '../../src/errors.js';
import type { RawRecord } from '../../src/schema/pipeline.js';
import type { JobContext, StageCounters } from '../context.js';
import type { Payload, FileTicket } from '../payloads.js';
import { finalizeFile } from '../finalize.js';
import { fileChunks } from '../file-chunks.js';

const BATCH_RECORDS = 200;
const BACKPRESSURE_POLL_MS = 200;

export async function processIntake({ file }: Payload<'intake'>, ctx: JobContext): Promise<StageCounters> {
  // The intake job itself counts as pending until every batch is queued. A file finalized
  // already (a late retry, the same bytes again) is not read.
  if ((await ctx.tracker.open(file.sha256, file.name, 1)).finalizedAs) return {};
  await refuseLinks(file);
  const stream = ctx.cpu.intakeStream(file, fileChunks(file.claimedPath));
  let batch: RawRecord[] = [];
  let batches = 0;
  let records = 0;
  /** The last batch also settles the intake job's own pending count: one round trip less per file. */
  const flush = async (last: boolean): Promise<boolean> => {
    if (!batch.length) {
      if (!last) return false;
      return (await ctx.tracker.settle(file.sha256, 'intake.end', -1)).complete;
    }
    // The first batch never waits: small files are bounded by the watcher's files in flight,
    // this bounds the records a large file puts in Redis.
    if (batches > 0) await waitForRoom(ctx);
    const { complete } = await ctx.tracker.settle(file.sha256, last ? `intake.b${batches}.end` : `intake.b${batches}`, batch.length - (last ? 1 : 0));
    await ctx.records.add(file, batch);
    records += batch.length;
    batches++;
    batch = [];
    return complete;
  };
  try {
    for await (const record of stream) {
      batch.push(record);
      if (batch.length >= BATCH_RECORDS) await flush(false);
    }
  } catch (err) {
    throw translateReadError(err, file);
  }
  const { problems, skipped } = stream.report;
  for (const p of problems) {
    await ctx.tracker.settle(file.sha256, `intake.p${p.index}`, 0, 'failed', { stage: 'intake', key: `r${p.index}`, code: p.code, message: p.message });
  }
  if (await flush(true)) await finalizeFile(ctx, file);
  const counters: StageCounters = { records, bad_records: problems.length };
  for (const [reason, n] of Object.entries(skipped)) counters[`skipped_${reason.replace(/[^a-z0-9]+/gi, '_')}`] = n;
  return counters;
}

/** Clean jobs hold up to batchMaxItems records each: their count times that bounds the records. */
async function waitForRoom(ctx: JobContext): Promise<void> {
  while ((await ctx.queues.clean.getWaitingCount()) * ctx.config.batchMaxItems > ctx.config.maxQueuedRecords) {
    await new Promise((r) => setTimeout(r, BACKPRESSURE_POLL_MS));
  }
}

function translateReadError(err: unknown, file: FileTicket): unknown {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return badInput(ERROR_CODES.FILE_MISSING, `${file.name} disappeared from ${file.claimedPath} before it was read`);
  if (code === 'EISDIR') return badInput(ERROR_CODES.UNSUPPORTED_FORMAT, `${file.name} is not a regular file`);
  return err;
}

/** Links are never followed: they could point anywhere outside the inbox. */
async function refuseLinks(file: FileTicket): Promise<void> {
  let st;
  try {
    st = await lstat(file.claimedPath);
  } catch (err) {
    throw translateReadError(err, file);
  }
  if (st.isSymbolicLink()) throw badInput(ERROR_CODES.UNSUPPORTED_FORMAT, `${file.name} is a symbolic link; copy the file itself into the inbox`);
  if (st.nlink > 1) throw badInput(ERROR_CODES.UNSUPPORTED_FORMAT, `${file.name} is a hard link to a file elsewhere; copy the file itself into the inbox`);
  if (!st.isFile()) throw badInput(ERROR_CODES.UNSUPPORTED_FORMAT, `${file.name} is not a regular file`);
}
