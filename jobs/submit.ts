/**
 * Registers a claimed file with the pipeline: the sha256 of its bytes is the intake job's id
 * and the tracker's key, so the same bytes dropped twice, under any name, are processed once
 * (the second copy goes straight to done/ with a note).
 */
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Config } from '../src/config.js';
import type { Logger } from '../src/logger.js';
import type { ClaimedFile, Inbox } from './inbox.js';
import { ownKey } from './queues.js';
import { jobIds, type FileTicket } from './payloads.js';

export async function submitClaimed(
  deps: { config: Config; redis: Redis; intakeQueue: Queue; inbox: Inbox; logger: Logger },
  claimed: ClaimedFile,
): Promise<'queued' | 'duplicate'> {
  const fileKey = ownKey(deps.config, 'file', claimed.sha256);
  const first = await deps.redis.hsetnx(fileKey, 'claimedPath', claimed.claimedPath);
  const log = deps.logger.child({ file: claimed.name, sha256: claimed.sha256 });
  if (!first) {
    const earlier = await deps.redis.hget(fileKey, 'claimedPath');
    if (earlier !== claimed.claimedPath) {
      await deps.inbox.moveToDone(claimed.claimedPath, claimed.name, {
        file: claimed.name,
        sha256: claimed.sha256,
        note: 'the same bytes were already submitted; nothing new to process',
        time: new Date().toISOString(),
      });
      log.info('same bytes already submitted: moved to done/ without processing');
      return 'duplicate';
    }
  }
  await deps.redis.hsetnx(fileKey, 'name', claimed.name);
  const ticket: FileTicket = {
    name: claimed.name,
    sha256: claimed.sha256,
    size: claimed.size,
    capturedAt: claimed.mtime.toISOString(),
    claimedPath: claimed.claimedPath,
  };
  await deps.intakeQueue.add('intake', { file: ticket }, { jobId: jobIds.intake(claimed.sha256) });
  log.info({ size: claimed.size }, 'file queued');
  return 'queued';
}
