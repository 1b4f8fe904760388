import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { loadConfig } from '../../../src/config.js';
import { CopydeskError } from '../../../src/errors.js';

describe('loadConfig', () => {
  it('takes defaults, then env, then flags', () => {
    expect(loadConfig({}).prefix).toBe('copydesk');
    expect(loadConfig({ COPYDESK_PREFIX: 'env' }).prefix).toBe('env');
    expect(loadConfig({ COPYDESK_PREFIX: 'env' }, { prefix: 'flag' }).prefix).toBe('flag');
  });

  it('derives the inbox folders and resolves paths', () => {
    const c = loadConfig({ COPYDESK_INBOX: 'some/inbox' });
    expect(c.inbox).toBe(path.resolve('some/inbox'));
    expect(c.doneDir).toBe(path.join(c.inbox, 'done'));
    expect(c.failedDir).toBe(path.join(c.inbox, 'failed'));
  });

  it('reads per-stage concurrency and stage lists', () => {
    const c = loadConfig({ COPYDESK_CONCURRENCY_CLASSIFY: '8', COPYDESK_STAGES: 'classify, store' });
    expect(c.concurrency.classify).toBe(8);
    expect(c.concurrency.intake).toBeGreaterThan(0);
    expect(c.stages).toEqual(['classify', 'store']);
  });

  it('reads the dedupe tunables and checks them together', () => {
    const c = loadConfig({ COPYDESK_DEDUPE_SHINGLE_SIZE: '3', COPYDESK_DEDUPE_THRESHOLD: '0.8', COPYDESK_PROCESS_DEDUPE_ARTICLES: '5000' });
    expect(c.dedupe).toMatchObject({ shingleSize: 3, containmentThreshold: 0.8, bands: 26, permutations: 256 });
    expect(c.processDedupeArticles).toBe(5000);
    expect(() => loadConfig({ COPYDESK_DEDUPE_BANDS: '200' })).toThrow(/COPYDESK_DEDUPE_[\s\S]*bands × rows must not exceed permutations/);
    expect(() => loadConfig({ COPYDESK_DEDUPE_PERMUTATIONS: '100' })).toThrow(/power of two/);
  });

  it('is frozen', () => {
    const c = loadConfig({});
    expect(Object.isFrozen(c)).toBe(true);
    expect(() => {
      (c as { prefix: string }).prefix = 'x';
    }).toThrow();
  });

  it('names the variable of every problem', () => {
    let err: unknown;
    try {
      loadConfig({ COPYDESK_ATTEMPTS: 'many', COPYDESK_STAGES: 'clean,shred', COPYDESK_STORE: 'postgres' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CopydeskError);
    const msg = (err as Error).message;
    expect(msg).toContain('COPYDESK_ATTEMPTS');
    expect(msg).toContain('COPYDESK_STAGES');
    expect((err as CopydeskError).code).toBe('E_CONFIG');
  });

  it('requires DATABASE_URL for the postgres store', () => {
    expect(() => loadConfig({ COPYDESK_STORE: 'postgres' })).toThrow(/DATABASE_URL/);
    expect(loadConfig({ COPYDESK_STORE: 'postgres', DATABASE_URL: 'postgres://x@localhost/db' }).store).toBe('postgres');
  });

  it('refuses dashboard auth with only a user or only a password (it would serve without auth)', () => {
    expect(() => loadConfig({ COPYDESK_DASHBOARD_USER: 'desk' })).toThrow(/set both or neither/);
    expect(() => loadConfig({ COPYDESK_DASHBOARD_PASSWORD: 'secret' })).toThrow(/COPYDESK_DASHBOARD_USER/);
    expect(loadConfig({ COPYDESK_DASHBOARD_USER: 'desk', COPYDESK_DASHBOARD_PASSWORD: 'secret' }).dashboardUser).toBe('desk');
  });
});

describe('retry policy', () => {
  it('gives store jobs more attempts than the other stages, with a doubling delay that stops at the cap', async () => {
    const { backoffDelay, defaultJobOptions } = await import('../../../jobs/queues.js');
    const config = loadConfig({});
    expect(defaultJobOptions(config, 'store').attempts).toBe(12);
    expect(defaultJobOptions(config, 'clean').attempts).toBe(5);
    expect([1, 2, 3, 7, 8, 11].map((n) => backoffDelay(config, n))).toEqual([1000, 2000, 4000, 60_000, 60_000, 60_000]);
    // The whole patience of a store job: a store away for several minutes loses nothing.
    const patience = Array.from({ length: 11 }, (_, i) => backoffDelay(config, i + 1)).reduce((a, b) => a + b, 0);
    expect(patience).toBeGreaterThan(5 * 60_000);
  });
});
