/** The file store's batch upsert: every record written, or a transient error naming the one that could not be. */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { FsStore } from '../../../src/store/fs.js';
import { ERROR_CODES, isPermanent, type CopydeskError } from '../../../src/errors.js';
import { makeArticle } from '../../helpers/article-factory.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function storeIn(): Promise<{ out: string; store: FsStore }> {
  const out = await mkdtemp(path.join(os.tmpdir(), 'copydesk-fs-store-'));
  dirs.push(out);
  const store = new FsStore(out);
  await store.init();
  return { out, store };
}

describe('FsStore.upsert', () => {
  it('writes a whole batch, and a second upsert replaces the records', async () => {
    const { store } = await storeIn();
    const batch = Array.from({ length: 20 }, (_, i) => makeArticle({ key: `k${i}` }));
    await store.upsert(batch);
    await store.upsert(batch.map((a) => ({ ...a, title: `${a.title} (updated)` })));
    expect(await store.count()).toBe(20);
    expect((await store.get(batch[7]!.id))!.title).toBe(`${batch[7]!.title} (updated)`);
  });

  it('fails the batch as transient, naming the record it could not write, and keeps the others', async () => {
    const { out, store } = await storeIn();
    const batch = Array.from({ length: 6 }, (_, i) => makeArticle({ key: `b${i}` }));
    const blocked = batch[3]!;
    // Its shard folder is a plain file: that one write cannot succeed.
    await mkdir(path.join(out, 'articles'), { recursive: true });
    await writeFile(path.join(out, 'articles', blocked.id.slice(0, 2)), 'not a folder');
    const others = batch.filter((a) => a.id.slice(0, 2) !== blocked.id.slice(0, 2));
    const err = (await store.upsert(batch).catch((e: unknown) => e)) as CopydeskError;
    expect(err.code).toBe(ERROR_CODES.STORE_UNAVAILABLE);
    expect(isPermanent(err)).toBe(false);
    expect(err.message).toContain(blocked.id);
    for (const a of others) expect((await store.get(a.id))?.id).toBe(a.id);
  });
});
