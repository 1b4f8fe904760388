import { afterAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:net';
import { PostgresStore } from '../../../src/store/postgres.js';
import { CopydeskError, ERROR_CODES, isPermanent } from '../../../src/errors.js';
import { makeArticle } from '../../helpers/article-factory.js';

/** A port nothing listens on: bind it, read it, close it. */
async function deadPort(): Promise<number> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function failure(promise: Promise<unknown>): Promise<CopydeskError> {
  const err = await promise.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(CopydeskError);
  return err as CopydeskError;
}

describe('PostgresStore when the server is unreachable', () => {
  const stores: PostgresStore[] = [];
  afterAll(async () => {
    await Promise.all(stores.map((s) => s.close()));
  });

  it('reports E_STORE_UNAVAILABLE as transient from every operation, so BullMQ retries', async () => {
    const store = new PostgresStore({ connectionString: `postgres://postgres@127.0.0.1:${await deadPort()}/postgres`, connectTimeoutMs: 2000 });
    stores.push(store);
    const file = { name: 'f.txt', sha256: 'cd'.repeat(32), size: 1, capturedAt: '2025-06-09T08:31:00.000Z' };
    // Thunks: each operation starts only when awaited, so no rejection waits unobserved.
    const attempts: (() => Promise<unknown>)[] = [
      () => store.init(),
      () => store.upsert([makeArticle({ key: 'down' })]),
      () => store.get('0'.repeat(24)),
      () => store.count(),
      () => store.search('anything', 5),
      () => store.clusterMembers('c'),
      () => store.putDropped(file, [{ stage: 'split', reason: 'too_short', key: '0.1' }]),
      async () => {
        for await (const _ of store.all()) break;
      },
    ];
    for (const attempt of attempts) {
      const err = await failure(attempt());
      expect(err.code).toBe(ERROR_CODES.STORE_UNAVAILABLE);
      expect(isPermanent(err)).toBe(false);
      expect(err.message).toMatch(/ECONNREFUSED|connect/i);
    }
  });

  it('reports a server that does not answer in time as transient too', async () => {
    // A listener that accepts and never speaks: the connect timeout must fire.
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as { port: number }).port;
    try {
      const store = new PostgresStore({ connectionString: `postgres://postgres@127.0.0.1:${port}/postgres`, connectTimeoutMs: 300 });
      stores.push(store);
      const err = await failure(store.count());
      expect(err.code).toBe(ERROR_CODES.STORE_UNAVAILABLE);
      expect(isPermanent(err)).toBe(false);
    } finally {
      silent.close();
    }
  });
});
