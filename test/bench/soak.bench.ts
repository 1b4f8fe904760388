/**
 * Soak: a steady drop rate into a running `copydesk start` for several minutes, printing one
 * line per interval — files dropped and done, throughput, backlog, the process's RSS, Redis's
 * used_memory and key count — then a summary comparing the first and last thirds of the run
 * (flat is good; growth points at a leak or unbounded retention).
 * BENCH_SMOKE=1: ~20 s. SOAK_SECONDS (default 300), SOAK_RATE files/s (default 5),
 * SOAK_INTERVAL_S (default 10; smoke 2).
 */
import { readdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { cleanupTestRedis, startTestRedis } from '../helpers/redis-server.js';
import { spawnCli, waitFor } from '../helpers/cli.js';
import { listDir } from '../helpers/out.js';
import { makeWorkspace, rssKiB, settledFiles, smallDump } from '../helpers/pipeline-run.js';

const SMOKE = !!process.env.BENCH_SMOKE;
const SECONDS = Number(process.env.SOAK_SECONDS ?? (SMOKE ? 20 : 300));
const RATE = Number(process.env.SOAK_RATE ?? 5);
const INTERVAL_S = Number(process.env.SOAK_INTERVAL_S ?? (SMOKE ? 2 : 10));
const DRAIN_TIMEOUT_MS = 120_000;
const KEEP_COMPLETED = 100;

interface Sample {
  t: number;
  dropped: number;
  done: number;
  rssMiB: number;
  redisMiB: number;
  keys: number;
}

const mib = (bytes: number) => bytes / 1024 / 1024;
const avg = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);

async function main() {
  const ws = await makeWorkspace('soak');
  const redis = await startTestRedis({ appendonly: true });
  const conn = redis.client();
  const cli = spawnCli(['start', '--inbox', ws.inbox, '--out', ws.out], {
    REDIS_URL: redis.url,
    LOG_LEVEL: 'warn',
    COPYDESK_STABILITY_MS: '200',
    COPYDESK_STATE_DIR: ws.state,
    COPYDESK_KEEP_COMPLETED: String(KEEP_COMPLETED),
    COPYDESK_KEEP_FAILED: String(KEEP_COMPLETED),
  });
  try {
    await waitFor('the inbox folders', async () => (await listDir(ws.inbox)).includes('.processing'), 30_000);
    console.log(`soak: ${SECONDS} s at ${RATE} files/s, one line every ${INTERVAL_S} s; finished jobs kept per queue: ${KEEP_COMPLETED}`);
    console.log('     t s   dropped      done   files/s   backlog   RSS MiB   Redis used_memory MiB   Redis keys');

    const samples: Sample[] = [];
    const probe = async (t: number, dropped: number): Promise<Sample> => {
      const info = await conn.info('memory');
      return {
        t,
        dropped,
        done: (await settledFiles(ws.done)).length + (await settledFiles(ws.failed)).length,
        rssMiB: ((await rssKiB(cli.child.pid!)) ?? NaN) / 1024,
        redisMiB: mib(Number(/used_memory:(\d+)/.exec(info)?.[1])),
        keys: await conn.dbsize(),
      };
    };
    const print = (s: Sample, prev: Sample | undefined) => {
      const rate = prev ? (s.done - prev.done) / (s.t - prev.t) : 0;
      console.log(
        [s.t.toFixed(0).padStart(6), String(s.dropped).padStart(9), String(s.done).padStart(9), rate.toFixed(1).padStart(9), String(s.dropped - s.done).padStart(9), s.rssMiB.toFixed(0).padStart(9), s.redisMiB.toFixed(2).padStart(23), String(s.keys).padStart(12)].join(' '),
      );
    };

    const started = Date.now();
    const elapsed = () => (Date.now() - started) / 1000;
    let dropped = 0;
    let nextSample = INTERVAL_S;
    while (elapsed() < SECONDS) {
      // Catch up to the steady rate (the drop loop may be late on a busy machine).
      const due = Math.floor(elapsed() * RATE);
      for (; dropped < due; dropped++) {
        const name = `soak-${String(dropped).padStart(7, '0')}.txt`;
        const staged = path.join(ws.staging, name);
        await writeFile(staged, smallDump(dropped));
        await rename(staged, path.join(ws.inbox, name));
      }
      if (elapsed() >= nextSample) {
        const s = await probe(elapsed(), dropped);
        print(s, samples.at(-1));
        samples.push(s);
        nextSample += INTERVAL_S;
      }
      await new Promise((r) => setTimeout(r, 50));
    }

    const drainStart = Date.now();
    let last: Sample = await probe(elapsed(), dropped);
    while (last.done < dropped && Date.now() - drainStart < DRAIN_TIMEOUT_MS) {
      await new Promise((r) => setTimeout(r, INTERVAL_S * 1000));
      last = await probe(elapsed(), dropped);
      print(last, samples.at(-1));
      samples.push(last);
    }

    const third = Math.max(1, Math.floor(samples.length / 3));
    const early = samples.slice(0, third);
    const late = samples.slice(-third);
    const total = (Date.now() - started) / 1000;
    console.log(`soak: ${last.done}/${dropped} files settled in ${total.toFixed(1)} s; throughput ${(last.done / total).toFixed(1)} files/s (drop rate ${RATE} files/s)`);
    console.log(`soak: RSS ${avg(early.map((s) => s.rssMiB)).toFixed(0)} MiB (first third) → ${avg(late.map((s) => s.rssMiB)).toFixed(0)} MiB (last third); max ${Math.max(...samples.map((s) => s.rssMiB)).toFixed(0)} MiB`);
    console.log(`soak: Redis used_memory ${avg(early.map((s) => s.redisMiB)).toFixed(2)} MiB → ${avg(late.map((s) => s.redisMiB)).toFixed(2)} MiB; keys ${early[0]?.keys ?? 0} → ${last.keys}`);
    console.log(`soak: failed/ holds ${(await settledFiles(ws.failed)).length} files; ${(await readdir(ws.processing)).length} still in flight`);
    if (last.done < dropped) throw new Error(`only ${last.done} of ${dropped} files were settled within ${DRAIN_TIMEOUT_MS / 1000} s of the last drop`);
  } finally {
    cli.child.kill('SIGTERM');
    await Promise.race([cli.exited, new Promise((r) => setTimeout(r, 30_000))]);
    cli.child.kill('SIGKILL');
    conn.disconnect();
    await cleanupTestRedis(redis);
    await ws.remove();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
