import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PostgresStore } from '../../../src/store/postgres.js';
import { CopydeskError, ERROR_CODES, isPermanent } from '../../../src/errors.js';
import { makeArticle } from '../../helpers/article-factory.js';
import { ADMIN_URL, createTestDb, type TestDb } from './test-db.js';
import { startTcpProxy, type TcpProxy } from './tcp-proxy.js';

async function expectUnavailable(promise: Promise<unknown>): Promise<void> {
  const err = await promise.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(CopydeskError);
  expect((err as CopydeskError).code).toBe(ERROR_CODES.STORE_UNAVAILABLE);
  expect(isPermanent(err)).toBe(false);
}

describe('PostgresStore through a server outage', () => {
  let db: TestDb;
  let proxy: TcpProxy;
  let store: PostgresStore;
  let proxiedUrl: string;

  beforeEach(async () => {
    db = await createTestDb();
    const server = new URL(ADMIN_URL);
    proxy = await startTcpProxy({ host: server.hostname, port: Number(server.port || 5432) });
    const url = new URL(db.url);
    url.hostname = '127.0.0.1';
    url.port = String(proxy.port);
    proxiedUrl = url.toString();
    // Generous bounds: two loaded cores must not look like an outage.
    store = new PostgresStore({ connectionString: proxiedUrl, connectTimeoutMs: 10_000, queryTimeoutMs: 10_000 });
    await store.init();
    await store.upsert([makeArticle({ key: 'before-outage' })]);
  });
  afterEach(async () => {
    await proxy.close();
    await store.close();
    await db.drop();
  });

  it('fails in-flight and new work as transient while the server is gone, and recovers without a restart', async () => {
    proxy.holdReplies();
    const inFlight = store.count();
    await proxy.stop();
    proxy.cutConnections();
    await expectUnavailable(inFlight);

    await expectUnavailable(store.upsert([makeArticle({ key: 'during-outage' })]));
    await expectUnavailable(store.get(makeArticle({ key: 'before-outage' }).id));

    await proxy.start();
    await store.upsert([makeArticle({ key: 'after-outage' })]);
    expect(await store.count()).toBe(2);
  });

  it('replaces pooled connections the server dropped while idle without failing the caller', async () => {
    expect(await store.count()).toBe(1);
    proxy.cutConnections();
    expect(await store.count()).toBe(1);
    await store.upsert([makeArticle({ key: 'after-restart' })]);
    expect(await store.count()).toBe(2);
  });

  it('gives up on a connection that stops answering, as transient', async () => {
    const impatient = new PostgresStore({ connectionString: proxiedUrl, queryTimeoutMs: 2000 });
    try {
      expect(await impatient.count()).toBe(1);
      proxy.holdReplies();
      const started = Date.now();
      await expectUnavailable(impatient.search('anything', 5));
      expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
      proxy.cutConnections();
      await proxy.stop();
      await proxy.start();
      expect(await store.count()).toBe(1);
    } finally {
      await impatient.close();
    }
  });
});
