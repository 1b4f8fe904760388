/** intake queue: reads the claimed file, decodes it into records, fans them out to clean. */
import { lstat, readFile } from 'node:fs/promises';
import { badInput, ERROR_CODES } from '../../src/errors.js';
import type { JobContext, StageCounters } from '../context.js';
import { jobIds, type Payload } from '../payloads.js';
import { finalizeFile } from '../finalize.js';

export async function processIntake({ file }: Payload<'intake'>, ctx: JobContext): Promise<StageCounters> {
  if (await ctx.tracker.isFinalized(file.sha256)) return {};
  let bytes: Buffer;
  try {
    await refuseLinks(file.claimedPath, file.name);
    bytes = await readFile(file.claimedPath);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw badInput(ERROR_CODES.FILE_MISSING, `${file.name} disappeared from ${file.claimedPath} before it was read`);
    if (code === 'ELOOP' || code === 'EISDIR') throw badInput(ERROR_CODES.UNSUPPORTED_FORMAT, `${file.name} is not a regular file`);
    throw err;
  }
  const records = ctx.stages.intake(file, bytes);
  const { complete } = await ctx.tracker.open(file.sha256, file.name, records.length);
  await ctx.queues.clean.addBulk(
    records.map((record) => ({ name: 'clean', data: { file, record }, opts: { jobId: jobIds.clean(file.sha256, record.index) } })),
  );
  if (complete) await finalizeFile(ctx, file);
  return { records: records.length };
}

/** Links are never followed: they could point anywhere outside the inbox. */
async function refuseLinks(claimedPath: string, name: string): Promise<void> {
  const st = await lstat(claimedPath);
  if (st.isSymbolicLink()) throw badInput(ERROR_CODES.UNSUPPORTED_FORMAT, `${name} is a symbolic link; copy the file itself into the inbox`);
  if (st.nlink > 1) throw badInput(ERROR_CODES.UNSUPPORTED_FORMAT, `${name} is a hard link to a file elsewhere; copy the file itself into the inbox`);
  if (!st.isFile()) throw badInput(ERROR_CODES.UNSUPPORTED_FORMAT, `${name} is not a regular file`);
}
