/**
 * Jobs after intake carry a batch of items (records, then articles), each with its file's
 * ticket, so the per-job cost of BullMQ (scripts, events, locks, round trips) is paid once per
 * batch instead of once per article: measured, it cost four times the stages' own work.
 *
 * An item's own bad input fails only that item (settled as failed in its file's report); a
 * transient error (store, Redis) fails the whole batch, which BullMQ retries. Every step is
 * idempotent per item (tracker tokens, deterministic article ids, upserts), so a retried
 * batch never counts, stores or decides anything twice.
 */
import { createHash } from 'node:crypto';
import { errorCode, isPermanent } from '../src/errors.js';
import type { Stage } from '../src/config.js';
import type { JobContext, StageCounters } from './context.js';
import type { FileTicket } from './payloads.js';
import type { SettleChange } from './tracker.js';
import { finalizeFile, recoverFile } from './finalize.js';

/** Where an item stands in its file: `r<index>` for a record, the article key after split. */
export interface ItemRef {
  file: FileTicket;
  key: string;
  /** Known once split has identified the article. */
  articleId?: string;
}

export interface ItemFailure extends ItemRef {
  code: string;
  message: string;
}

/**
 * Runs `work` for each item: in order, one after the other, or with `atOnce` all started
 * together (CPU-thread work, which the pool queues in order; not for decisions whose order
 * matters). Results keep the items' order. Permanent errors are collected per item; the
 * first transient one (in item order) is thrown, failing the batch.
 */
export async function eachItem<T, R>(
  items: readonly T[],
  refOf: (item: T) => ItemRef,
  work: (item: T) => R | Promise<R>,
  opts: { atOnce?: boolean } = {},
): Promise<{ done: { item: T; result: R }[]; failed: ItemFailure[] }> {
  const done: { item: T; result: R }[] = [];
  const failed: ItemFailure[] = [];
  const settle = (item: T, err: unknown) => {
    if (!isPermanent(err)) throw err;
    failed.push({ ...refOf(item), code: errorCode(err), message: err instanceof Error ? err.message : String(err) });
  };
  if (opts.atOnce) {
    const outcomes = await Promise.allSettled(items.map(async (item) => work(item)));
    outcomes.forEach((o, i) => (o.status === 'fulfilled' ? done.push({ item: items[i]!, result: o.value }) : settle(items[i]!, o.reason)));
    return { done, failed };
  }
  for (const item of items) {
    try {
      done.push({ item, result: await work(item) });
    } catch (err) {
      settle(item, err);
    }
  }
  return { done, failed };
}

/** Applies tracker changes in one round trip and finalizes every file they complete. */
export async function settleItems(ctx: JobContext, changes: readonly (SettleChange & { file: FileTicket })[]): Promise<void> {
  if (!changes.length) return;
  const results = await ctx.tracker.settleMany(changes);
  const completed = new Map<string, FileTicket>();
  const recovered = new Map<string, FileTicket>();
  results.forEach((r, i) => {
    const c = changes[i]!;
    if (r.complete) completed.set(c.file.sha256, c.file);
    if (r.finalizedAs === 'failed' && (c.counter === 'stored' || c.counter === 'duplicates')) recovered.set(c.file.sha256, c.file);
  });
  for (const file of completed.values()) await finalizeFile(ctx, file);
  for (const file of recovered.values()) await recoverFile(ctx, file);
}

/**
 * Settles failed items as failed in their files' reports and counts them by code in the
 * pipeline's failure figures; returns the stage's counter of failed items.
 */
export async function settleFailures(stage: Stage, failures: readonly ItemFailure[], ctx: JobContext): Promise<StageCounters> {
  if (!failures.length) return {};
  const byCode: StageCounters = {};
  for (const f of failures) {
    ctx.logger.error({ file: f.file.name, key: f.key, articleId: f.articleId, code: f.code, err: { message: f.message } }, `${stage} failed for an item`);
    byCode[`failed_${f.code}`] = (byCode[`failed_${f.code}`] ?? 0) + 1;
  }
  await ctx.stats.countMany('pipeline', byCode);
  await settleItems(
    ctx,
    failures.map((f) => ({
      file: f.file,
      sha: f.file.sha256,
      token: `fail.${f.key}`,
      delta: -1,
      counter: 'failed',
      problem: { stage, key: f.key, code: f.code, message: f.message },
    })),
  );
  return { failed: failures.length };
}

/** Adds counters into `into`. */
export function addCounters(into: StageCounters, more: StageCounters): StageCounters {
  for (const [k, n] of Object.entries(more)) into[k] = (into[k] ?? 0) + n;
  return into;
}

/**
 * A batch's job id from its items: the same items of the same claim give the same id, so a
 * retried intake re-adding them is a no-op. The claimed path is part of it: a file replayed
 * (claimed again) must not be swallowed by the finished batch jobs of its first claim.
 */
export function batchJobId(refs: readonly ItemRef[]): string {
  const h = createHash('sha256');
  for (const r of refs) h.update(`${r.file.sha256}\0${r.file.claimedPath}\0${r.key}\n`);
  return `b${h.digest('hex').slice(0, 40)}`;
}
