/** `copydesk status`: per queue job counts and the inbox folders. */
import { STAGES, type Config } from '../../src/config.js';
import { openQueues, closeQueues } from '../queues.js';
import { connectRedis } from '../redis.js';
import { Inbox } from '../inbox.js';
import { PipelineStats } from '../stats.js';

const STATES = ['waiting', 'active', 'completed', 'failed', 'delayed'] as const;

export async function readStatus(config: Config, redisUrl: string) {
  const connection = connectRedis(redisUrl, { name: 'copydesk-status' });
  const queues = openQueues(config, connection);
  try {
    const stageCounts = Object.fromEntries(
      await Promise.all(STAGES.map(async (s) => [s, await queues[s].getJobCounts(...STATES)] as const)),
    );
    const files = await new Inbox(config).counts();
    const counters = await new PipelineStats(connection, config).counters();
    return {
      queues: stageCounts,
      files,
      articles: { stored: counters['store:stored'] ?? 0, duplicates: counters['store:duplicates'] ?? 0 },
    };
  } finally {
    await closeQueues(queues);
    connection.disconnect();
  }
}

export function formatStatus(status: Awaited<ReturnType<typeof readStatus>>): string {
  const rows = [['queue', ...STATES]];
  for (const [stage, counts] of Object.entries(status.queues)) rows.push([stage, ...STATES.map((s) => String(counts[s] ?? 0))]);
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const table = rows.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')).join('\n');
  const f = status.files;
  return `${table}\n\nfiles: inbox ${f.inbox}  processing ${f.processing}  done ${f.done}  failed ${f.failed}\narticles: stored ${status.articles.stored}  duplicates ${status.articles.duplicates}\n`;
}
