/**
 * Dedupe benchmark. Quality: the dev set (../shared/bench/dedup/dev.jsonl) through the Redis
 * index (and the in-process one), clean and with 5% of characters corrupted (seeded); prints
 * ARI (as scikit-learn computes it), pairwise precision/recall and docs/s. Memory: fills a
 * private redis-server with synthetic documents and reads INFO memory. BENCH_SMOKE=1 runs a
 * short version. DEDUPE_OPTS='{"shingleSize":5}' overrides options; DEDUPE_ONLY=memory|quality|
 * speed|fill picks parts; DEDUPE_FILL=<docs> sets the fill size (default 1,000,000).
 */
import { Redis } from 'ioredis';
import { contentHash, normalizeForHash } from '../../src/dedupe/normalize.js';
import { MemoryDedupeIndex } from '../../src/dedupe/memory-index.js';
import { RedisDedupeIndex } from '../../src/dedupe/redis-index.js';
import { IndexWindowSchema } from '../../src/dedupe/window.js';
import type { DedupeIndex } from '../../src/dedupe/index-types.js';
import { DEDUPE_DEV, LETTERS, devCandidate, loadDedupeDev, noisy, prng, scoreIndex, type DevDoc } from './lib/dedupe-data.js';
import { cleanupTestRedis, startTestRedis } from '../helpers/redis-server.js';

const smoke = process.env.BENCH_SMOKE === '1';
const only = process.env.DEDUPE_ONLY;
const opts = process.env.DEDUPE_OPTS ? JSON.parse(process.env.DEDUPE_OPTS) : {};

async function runQuality(label: string, docs: readonly DevDoc[], index: DedupeIndex): Promise<void> {
  const s = await scoreIndex(docs, index);
  console.log(
    `${label.padEnd(28)} ARI ${s.ari.toFixed(4)}  P ${s.precision.toFixed(4)}  R ${s.recall.toFixed(4)}  ${(docs.length / s.seconds).toFixed(0)} docs/s (sequential, ${docs.length} docs)`,
  );
}

function loadDev(): DevDoc[] | null {
  const docs = loadDedupeDev();
  if (!docs) {
    console.log(`dedupe quality: skipped, ${DEDUPE_DEV} is absent`);
    return null;
  }
  return smoke ? docs.slice(0, 600) : docs;
}

async function main(): Promise<void> {
  const dev = loadDev();
  if (dev && (!only || only === 'memory')) {
    await runQuality('memory, clean', dev, new MemoryDedupeIndex(opts));
    await runQuality('memory, 5% char noise', noisy(dev), new MemoryDedupeIndex(opts));
  }
  if (only === 'memory') return;
  const redis = await startTestRedis();
  try {
    const client = redis.client();
    if (dev && (!only || only === 'quality')) {
      await runQuality('redis, clean', dev, new RedisDedupeIndex(client, 'q1', opts));
      await runQuality('redis, 5% char noise', noisy(dev), new RedisDedupeIndex(client, 'q2', opts));
    }
    if (dev && (!only || only === 'speed')) await runSpeed(client, dev);
    if (!only || only === 'fill') await runFill(client, dev);
  } finally {
    await cleanupTestRedis(redis);
  }
}

/** CPU seconds the Redis server has used so far (INFO cpu). */
async function redisCpuSeconds(client: Redis): Promise<number> {
  const info = await client.info('cpu');
  return Number(/used_cpu_user:([\d.]+)/.exec(info)![1]) + Number(/used_cpu_sys:([\d.]+)/.exec(info)![1]);
}

/**
 * Throughput of decide() against Redis with a few decisions in flight, as a worker's concurrency
 * would. Three rounds, each into an empty index of its own: a round lasts seconds, and on a
 * shared machine one round can fall into a burst of someone else's load, so the median counts.
 * The CPU that Redis and this process spend per decision says which side limits.
 */
async function runSpeed(client: Redis, dev: readonly DevDoc[]): Promise<void> {
  const rates: number[] = [];
  for (let round = 1; round <= 3; round++) {
    rates.push(await speedRound(client, new RedisDedupeIndex(client, `speed${round}`, opts), dev, `speed round ${round}`));
  }
  rates.sort((a, b) => a - b);
  console.log(`speed: ${rates[1]!.toFixed(0)} docs/s against Redis (median of 3 rounds; slowest ${rates[0]!.toFixed(0)}, fastest ${rates[2]!.toFixed(0)})`);
}

/** The dev set (twice, the second time under other ids: exact copies) decided against `index`; returns docs/s. */
async function speedRound(client: Redis, index: RedisDedupeIndex, dev: readonly DevDoc[], label: string): Promise<number> {
  const inFlight = 16;
  const cands = (smoke ? dev : [...dev, ...dev.map((d) => ({ ...d, id: `${d.id}~2` }))]).map(devCandidate);
  const redisBefore = await redisCpuSeconds(client);
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < cands.length) await index.decide(cands[next++]!);
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const redisUs = ((await redisCpuSeconds(client)) - redisBefore) * 1e6;
  console.log(
    `  ${label}: ${(cands.length / seconds).toFixed(0)} docs/s (${cands.length} decisions, ${inFlight} in flight, fingerprinting included); CPU per decision: Redis ${(redisUs / cands.length).toFixed(0)} us, this process ${((cpu.user + cpu.system) / cands.length).toFixed(0)} us`,
  );
  return cands.length / seconds;
}

/** Synthetic news-like documents: distinct texts from a shared vocabulary. */
function syntheticText(random: () => number, words: readonly string[]): string {
  const n = 150 + Math.floor(random() * 400);
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(words[Math.floor(random() * words.length)]!);
  return out.join(' ');
}

async function runFill(client: Redis, dev: readonly DevDoc[] | null): Promise<void> {
  const total = smoke ? 5_000 : Number(process.env.DEDUPE_FILL ?? 1_000_000);
  const random = prng(7);
  const words = Array.from({ length: 20_000 }, () => Array.from({ length: 3 + Math.floor(random() * 7) }, () => LETTERS[Math.floor(random() * 26)]).join(''));
  // A production index holds documents that arrived over the window, in two or three live
  // time slices; DEDUPE_FILL_SPREAD (default 0.95) is the share of the window the fill's clock
  // walks, from that long ago to now (0: every document at once, one slice).
  const spread = Number(process.env.DEDUPE_FILL_SPREAD ?? 0.95);
  const { windowMs } = IndexWindowSchema.parse({});
  const end = Date.now();
  let clock = end - spread * windowMs;
  const index = new RedisDedupeIndex(client, 'fill', opts, { now: () => clock });
  await client.flushall();
  await client.call('MEMORY', 'PURGE').catch(() => undefined);
  const before = Number(/used_memory:(\d+)/.exec(await client.info('memory'))![1]);
  const started = performance.now();
  let half = { docs: 0, used: before };
  const inFlight = 32;
  let next = 0;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < total) {
        const i = next++;
        clock = end - spread * windowMs * (1 - i / total);
        const text = syntheticText(random, words);
        await index.decide({ articleId: `syn-${i.toString(16).padStart(20, '0')}`, contentHash: contentHash([text]), normalizedText: normalizeForHash(text) });
        if (i === total / 2) half = { docs: i, used: Number(/used_memory:(\d+)/.exec(await client.info('memory'))![1]) };
        if (!smoke && i % 100_000 === 0 && i) {
          const used = Number(/used_memory:(\d+)/.exec(await client.info('memory'))![1]);
          console.log(`  fill: ${i} docs, ${((used - before) / i).toFixed(0)} B/doc, ${(i / ((performance.now() - started) / 1000)).toFixed(0)} docs/s`);
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const info = await client.info('memory');
  const used = Number(/used_memory:(\d+)/.exec(info)![1]);
  const rss = Number(/used_memory_rss:(\d+)/.exec(info)![1]);
  // Slice keys are many small hashes (2^shardBits per slice): their fixed cost is spread over
  // more documents as the index fills, so the second half's cost per document is the trend.
  console.log(`memory, second half of the fill: ${((used - half.used) / (total - half.docs)).toFixed(0)} B/doc`);
  console.log(
    `memory: ${((used - before) / total).toFixed(0)} B/doc used_memory (${((used - before) / 2 ** 20).toFixed(1)} MiB for ${total} docs arriving over ${spread} of the window; rss ${(rss / 2 ** 20).toFixed(1)} MiB); fill at ${(total / seconds).toFixed(0)} docs/s${smoke ? '; smoke size: fixed key costs dominate, the target is read at 1,000,000 docs' : ''}`,
  );
  // A full index is slower than an empty one (Redis walks bigger tables and small hashes that
  // already hold fields): the dev set once more, into the filled index, shows by how much.
  clock = end;
  if (dev) await speedRound(client, index, dev, `speed into the filled index (${total} docs over ${spread} of the window)`);
}

await main();
