/**
 * Moves a file out of .processing once nothing of it is pending: to done/ when at least one
 * article was stored (with a report when some records had problems), to failed/ otherwise.
 * A file in failed/ whose articles are stored later (an operator retried its jobs) moves on to
 * done/, its error report kept beside it as history.
 */
import type { JobContext } from './context.js';
import type { FileTicket } from './payloads.js';

export async function finalizeFile(ctx: Pick<JobContext, 'tracker' | 'inbox' | 'logger' | 'stats'>, file: FileTicket): Promise<void> {
  const summary = await ctx.tracker.summary(file.sha256);
  if (summary.state === 'finalized') return;
  const articles = summary.stored + summary.duplicates;
  const log = ctx.logger.child({ file: file.name, sha256: file.sha256 });
  if (articles === 0 && summary.failed > 0) {
    const first = summary.problems[0];
    const dest = await ctx.inbox.moveToFailed(file.claimedPath, file.name, {
      file: file.name,
      sha256: file.sha256,
      code: first?.code ?? 'E_INTERNAL',
      message: first?.message ?? 'every article of the file failed',
      stage: first?.stage ?? 'unknown',
      attempts: 0,
      time: new Date().toISOString(),
      problems: summary.problems,
    });
    await ctx.tracker.markFinalized(file.sha256, 'failed', dest);
    await ctx.stats.count('pipeline', 'files_failed');
    log.warn({ dest, problems: summary.problems.length }, 'file failed: no article could be stored');
    return;
  }
  const report =
    summary.problems.length || summary.dropped
      ? { file: file.name, sha256: file.sha256, stored: summary.stored, duplicates: summary.duplicates, dropped: summary.dropped, failed: summary.failed, problems: summary.problems }
      : undefined;
  const dest = await ctx.inbox.moveToDone(file.claimedPath, file.name, report);
  await Promise.all([ctx.tracker.markFinalized(file.sha256, 'done', dest), ctx.stats.count('pipeline', 'files_done')]);
  log.info({ dest, stored: summary.stored, duplicates: summary.duplicates, dropped: summary.dropped, failed: summary.failed }, 'file done');
}

/** Called when an article of a file already finalized as failed has been stored after all. */
export async function recoverFile(ctx: Pick<JobContext, 'tracker' | 'inbox' | 'logger' | 'stats'>, file: FileTicket): Promise<void> {
  const failedPath = await ctx.tracker.claimRecovery(file.sha256);
  if (failedPath === null) return;
  const dest = await ctx.inbox.recoverToDone(failedPath, file.name, { file: file.name, sha256: file.sha256, recoveredAt: new Date().toISOString() });
  await ctx.tracker.setFinalPath(file.sha256, dest);
  await ctx.stats.countMany('pipeline', { files_failed: -1, files_done: 1 });
  ctx.logger.info({ file: file.name, sha256: file.sha256, from: failedPath, dest }, 'file recovered: its articles were stored by a retried job; moved from failed/ to done/');
}
