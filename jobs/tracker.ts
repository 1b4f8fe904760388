/**
 * Tracks, per inbox file, how many of its records and articles are still under way, so the
 * file moves to done/ exactly when its last article is settled (stored, dropped or failed).
 *
 * Each change carries a token (e.g. "split.r0", "store.a0.1"); a token is applied once, so a
 * retried job never counts twice. Key: cd:file:<sha256> (hash) + cd:file:<sha256>:tokens (set)
 * + cd:file:<sha256>:problems (list of JSON). Once the file is finalized the set and list are
 * deleted and the hash expires after a week.
 */
import type { Redis } from 'ioredis';
import type { Config } from '../src/config.js';
import { ownKey } from './queues.js';

// A finalized file takes no more changes: a late retry must not recreate its deleted token set.
const SETTLE_LUA = `
if redis.call('HGET', KEYS[1], 'state') == 'finalized' then
  return { tonumber(redis.call('HGET', KEYS[1], 'pending') or '0'), 'finalized', redis.call('HGET', KEYS[1], 'outcome') or '' }
end
if ARGV[5] and ARGV[5] ~= '' then redis.call('HSETNX', KEYS[1], 'name', ARGV[5]) end
local applied = redis.call('SADD', KEYS[2], ARGV[1])
if applied == 1 then
  redis.call('HINCRBY', KEYS[1], 'pending', tonumber(ARGV[2]))
  if ARGV[3] ~= '' then redis.call('HINCRBY', KEYS[1], ARGV[3], 1) end
  if ARGV[4] ~= '' then redis.call('RPUSH', KEYS[3], ARGV[4]) end
end
return { tonumber(redis.call('HGET', KEYS[1], 'pending') or '0'), redis.call('HGET', KEYS[1], 'state') or '' }
`;

export interface SettleResult {
  pending: number;
  /** True when nothing is pending and the file has not been finalized yet. */
  complete: boolean;
  /** Set when the file was finalized already: where it went. The change was not applied. */
  finalizedAs?: 'done' | 'failed';
}

// The one caller that turns a failed file's outcome to done moves it; the others see done.
const RECOVER_LUA = `
if redis.call('HGET', KEYS[1], 'outcome') ~= 'failed' then return false end
redis.call('HSET', KEYS[1], 'outcome', 'done')
return redis.call('HGET', KEYS[1], 'path') or ''
`;

/** One change of `settleMany`: see `settle`. */
export interface SettleChange {
  sha: string;
  token: string;
  delta: number;
  counter?: string;
  problem?: FileProblem;
}

export interface FileProblem {
  stage: string;
  key: string;
  code: string;
  message: string;
}

export interface FileSummary {
  name: string;
  pending: number;
  stored: number;
  duplicates: number;
  dropped: number;
  failed: number;
  state: string;
  problems: FileProblem[];
}

const FINALIZED_TTL_SECONDS = 7 * 24 * 3600;

type TrackerRedis = Redis & {
  copydeskSettle(k1: string, k2: string, k3: string, token: string, delta: number, counter: string, problem: string, name?: string): Promise<[number, string, string?]>;
  copydeskRecover(k1: string): Promise<string | null>;
};

function settleResult([pending, state, outcome]: [number, string, string?]): SettleResult {
  const finalizedAs = state === 'finalized' && (outcome === 'done' || outcome === 'failed') ? outcome : undefined;
  return { pending, complete: pending <= 0 && state !== 'finalized', ...(finalizedAs ? { finalizedAs } : {}) };
}

export class FileTracker {
  private readonly redis: TrackerRedis;

  constructor(
    redis: Redis,
    private readonly config: Pick<Config, 'prefix'>,
  ) {
    if (!('copydeskSettle' in redis)) redis.defineCommand('copydeskSettle', { numberOfKeys: 3, lua: SETTLE_LUA });
    if (!('copydeskRecover' in redis)) redis.defineCommand('copydeskRecover', { numberOfKeys: 1, lua: RECOVER_LUA });
    this.redis = redis as TrackerRedis;
  }

  private keys(sha: string): [string, string, string] {
    const base = ownKey(this.config, 'file', sha);
    return [base, `${base}:tokens`, `${base}:problems`];
  }

  /**
   * Called by intake before it reads the file: names the file and counts `records` pending, in
   * one round trip. A file finalized already is left alone (`finalizedAs` says where it went).
   */
  async open(sha: string, name: string, records: number): Promise<SettleResult> {
    return this.apply(sha, 'intake', records, '', '', name);
  }

  /**
   * Applies `delta` to the pending count once per token. `counter` (stored, duplicates,
   * dropped, failed) is bumped with it; `problem` is appended to the file's report.
   */
  async settle(sha: string, token: string, delta: number, counter = '', problem?: FileProblem): Promise<SettleResult> {
    return this.apply(sha, token, delta, counter, problem ? JSON.stringify(problem) : '');
  }

  /** One run of the settle script; `name`, when given, names a file not named yet. */
  private async apply(sha: string, token: string, delta: number, counter: string, problem: string, name = ''): Promise<SettleResult> {
    const [k1, k2, k3] = this.keys(sha);
    return settleResult(await this.redis.copydeskSettle(k1, k2, k3, token, delta, counter, problem, name));
  }

  /** Several changes, possibly of several files, in one round trip; results in order. */
  async settleMany(changes: readonly SettleChange[]): Promise<SettleResult[]> {
    if (!changes.length) return [];
    const pipe = this.redis.pipeline() as unknown as { copydeskSettle: TrackerRedis['copydeskSettle']; exec(): Promise<[Error | null, unknown][] | null> };
    for (const c of changes) {
      const [k1, k2, k3] = this.keys(c.sha);
      void pipe.copydeskSettle(k1, k2, k3, c.token, c.delta, c.counter ?? '', c.problem ? JSON.stringify(c.problem) : '');
    }
    const replies = (await pipe.exec()) ?? [];
    return replies.map(([err, reply]) => {
      if (err) throw err;
      return settleResult(reply as [number, string, string?]);
    });
  }

  async summary(sha: string): Promise<FileSummary> {
    const [k1, , k3] = this.keys(sha);
    const [h, problems] = await Promise.all([this.redis.hgetall(k1), this.redis.lrange(k3, 0, -1)]);
    return {
      name: h.name ?? '',
      pending: Number(h.pending ?? 0),
      stored: Number(h.stored ?? 0),
      duplicates: Number(h.duplicates ?? 0),
      dropped: Number(h.dropped ?? 0),
      failed: Number(h.failed ?? 0),
      state: h.state ?? '',
      problems: problems.map((p) => JSON.parse(p) as FileProblem),
    };
  }

  /**
   * A file finalized as failed whose articles were stored after all (its jobs retried by an
   * operator): returns its path in failed/ to exactly one caller, which moves it to done/;
   * null for every other caller and for files not in failed/.
   */
  async claimRecovery(sha: string): Promise<string | null> {
    const path = await this.redis.copydeskRecover(this.keys(sha)[0]);
    return path || null;
  }

  async setFinalPath(sha: string, finalPath: string): Promise<void> {
    await this.redis.hset(this.keys(sha)[0], 'path', finalPath);
  }

  /**
   * The token set and problem list only serve while the file is in flight (the problems are in
   * its report by now): they go at once, so Redis does not hold them for every file of the
   * week. The small hash stays for the TTL: it makes the same bytes dropped again a no-op.
   */
  async markFinalized(sha: string, outcome: 'done' | 'failed', finalPath = ''): Promise<void> {
    const [hash, tokens, problems] = this.keys(sha);
    await this.redis
      .multi()
      .hset(hash, 'state', 'finalized', 'outcome', outcome, 'finalizedAt', new Date().toISOString(), 'path', finalPath)
      .expire(hash, FINALIZED_TTL_SECONDS)
      .del(tokens, problems)
      .exec();
  }
}
