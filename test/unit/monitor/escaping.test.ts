/**
 * The dashboard never puts input-controlled strings into HTML unescaped. `copydesk start`
 * (its own dashboard, on its own Redis) processes files whose names and contents are HTML
 * injections: a dump whose title and body carry them (stored), a PDF and a broken JSON file
 * (failed, with the name in the error message); a job with such an id, name and data is
 * failed on a stage queue, and counters with such names are written where the overview reads
 * them. Every page the dashboard serves is then fetched: HTML pages must hold the strings only
 * escaped, and the API routes that do carry them must answer as JSON, never as HTML.
 */
import { copyFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeQueues, openQueues, type StageQueues } from '../../../jobs/queues.js';
import { PipelineStats } from '../../../jobs/stats.js';
import { loadConfig } from '../../../src/config.js';
import { spawnCli, waitFor, type CliProcess } from '../../helpers/cli.js';
import { listDir } from '../../helpers/out.js';
import { makeWorkspace, settledFiles, waitForWatcher, type Workspace } from '../../helpers/pipeline-run.js';
import { cleanupTestRedis, startTestRedis, type TestRedis } from '../../helpers/redis-server.js';

const IMG = '<img src=x onerror=alert(1)>';
const SCRIPT = '"><script>alert(1)</script>';
const SVG = "'><svg onload=alert(2)>";
/** What must never appear in an HTML page: the markup of each injection, unescaped. */
const RAW = [IMG, '<script>alert(1)', '<svg onload=alert(2)>', 'onerror=alert(1)>'];

const DUMP_NAME = `${IMG}.txt`;
const PDF_NAME = `${SVG}.pdf`;
const JSON_NAME = `x${SCRIPT.replace(/\//g, '')}.json`; // no '/' in a file name
const BAD_JOB_ID = `job${SCRIPT}`;

const DUMP = [
  `${SCRIPT} Harbour town votes to rebuild its sea wall ${IMG}`,
  '',
  `Councillors in the harbour town voted on Monday night to rebuild the crumbling sea wall ${IMG}, approving a four-year plan after winter storms breached the old structure twice in as many months.`,
  '',
  `The decision, passed by eleven votes to three ${SVG}, commits the council to borrowing for the first phase, which will replace the most damaged stretch near the fish market before next winter.`,
  '',
].join('\n');

interface Page {
  path: string;
  status: number;
  type: string;
  body: string;
}

describe('dashboard escaping of input-controlled strings', () => {
  let ws: Workspace;
  let redis: TestRedis;
  let cli: CliProcess;
  let connection: Redis;
  let queues: StageQueues;
  let url: string;
  const get = async (p: string): Promise<Page> => {
    const res = await fetch(`${url}${p}`);
    return { path: p, status: res.status, type: res.headers.get('content-type') ?? '', body: await res.text() };
  };

  beforeAll(async () => {
    ws = await makeWorkspace('escaping');
    redis = await startTestRedis();
    cli = spawnCli(['start', '--inbox', ws.inbox, '--out', ws.out], { REDIS_URL: redis.url, COPYDESK_STABILITY_MS: '200', COPYDESK_STATE_DIR: ws.state, COPYDESK_ATTEMPTS: '1' });
    await waitForWatcher(cli);
    url = await waitFor('the dashboard', async () => /"url":"(http:\/\/[^"]+)"[^\n]*dashboard listening|dashboard listening[^\n]*"url":"(http:\/\/[^"]+)"/.exec(cli.output())?.slice(1).find(Boolean));

    await writeFile(path.join(ws.staging, 'dump'), DUMP);
    await copyFile(path.join(ws.staging, 'dump'), path.join(ws.inbox, DUMP_NAME));
    await copyFile(path.resolve(import.meta.dirname, '../../../samples/dropped-by-mistake.pdf'), path.join(ws.inbox, PDF_NAME));
    await writeFile(path.join(ws.inbox, JSON_NAME), `{"title": "${IMG}", "text": `);
    await waitFor(
      'the three files to settle',
      async () => (await settledFiles(ws.done)).includes(DUMP_NAME) && (await settledFiles(ws.failed)).length === 2,
      45_000,
    ).catch((err: Error) => {
      throw new Error(`${err.message}\n--- copydesk output (tail) ---\n${cli.output().slice(-3000)}`);
    });

    // A job with an injected id, name and data, failed by the real clean worker (bad payload).
    const config = loadConfig({}, { inbox: ws.inbox, out: ws.out });
    connection = new Redis(redis.url, { maxRetriesPerRequest: null });
    queues = openQueues(config, connection);
    await queues.clean.add(IMG, { file: { name: `${SVG}.txt` }, records: [{ content: SCRIPT }] }, { jobId: BAD_JOB_ID, attempts: 1 });
    await waitFor('the injected job to fail', async () => (await queues.clean.getJob(BAD_JOB_ID))?.failedReason, 20_000);
    // Counter names come from code today; the overview must not rely on that.
    const stats = new PipelineStats(connection, config);
    await stats.countMany('split', { [`dropped_${IMG}`]: 1 });
    await stats.countMany('pipeline', { [`failed_${SCRIPT}`]: 1 });
  }, 90_000);

  afterAll(async () => {
    cli?.child.kill('SIGKILL');
    if (queues) await closeQueues(queues);
    connection?.disconnect();
    if (redis) await cleanupTestRedis(redis);
    await ws?.remove();
  });

  it('the pipeline really carried the injected names and text (so the checks below can fail)', async () => {
    expect(await listDir(ws.failed)).toEqual(expect.arrayContaining([PDF_NAME, JSON_NAME, `${PDF_NAME}.error.json`]));
    const failed = await get('/api/queues?activeQueue=intake&status=failed&page=1');
    expect(failed.type).toContain('application/json');
    for (const s of [PDF_NAME, JSON_NAME]) expect(failed.body).toContain(JSON.stringify(s).slice(1, -1));
    const job = await get(`/api/queues/clean/${encodeURIComponent(BAD_JOB_ID)}`);
    expect(job.status).toBe(200);
    expect(job.type).toContain('application/json');
    expect(job.body).toContain(JSON.stringify(SCRIPT).slice(1, -1));
  });

  it('the overview page shows injected counter names escaped, never as markup', async () => {
    const page = await get('/overview');
    expect(page.status).toBe(200);
    expect(page.type).toContain('text/html');
    for (const raw of RAW) expect(page.body).not.toContain(raw);
    expect(page.body).toContain('&#60;img src=x onerror=alert(1)&#62; 1'); // dropped, by reason
    expect(page.body).toContain('&#34;&#62;&#60;script&#62;alert(1)&#60;/script&#62; 1'); // failures, by code
    expect(page.body).toMatch(/E_UNSUPPORTED_FORMAT 1/);
  });

  it('no HTML page the dashboard serves holds an injection unescaped; data routes answer JSON or text', async () => {
    const enc = encodeURIComponent;
    const paths = [
      '/',
      '/overview',
      '/queue/intake',
      '/queue/clean',
      `/queue/clean/${enc(BAD_JOB_ID)}`,
      `/queue/${enc(IMG)}`,
      `/queue/${enc(SCRIPT)}/${enc(IMG)}`,
      '/job-schedulers',
      '/metrics-history',
      `/${enc(IMG)}`,
      `/overview/${enc(SCRIPT)}`,
      `/api/${enc(SCRIPT)}`,
      `/api/queues/${enc(IMG)}/${enc(SCRIPT)}`,
      '/api/queues?activeQueue=intake&status=failed&page=1',
      '/api/queues?activeQueue=clean&status=failed&page=1',
      `/api/queues/clean/${enc(BAD_JOB_ID)}`,
      `/api/queues/clean/${enc(BAD_JOB_ID)}/logs`,
      '/api/pipeline',
      '/metrics',
      '/readyz',
      '/healthz',
    ];
    let html = 0;
    for (const p of paths) {
      const page = await get(p);
      if (/html/i.test(page.type)) {
        html++;
        for (const raw of RAW) expect(page.body, `${p} (${page.status}) holds ${raw}`).not.toContain(raw);
      } else if (page.body) {
        expect(page.type, `${p} (${page.status})`).toMatch(/^(application\/json|text\/plain)/);
      }
    }
    expect(html).toBeGreaterThanOrEqual(8);
    // Prometheus text: an injected quote is escaped, so it cannot close the label and forge series.
    const metrics = (await get('/metrics')).body;
    expect(metrics).toContain('copydesk_failures_total{code="\\"><script>alert(1)</script>"} 1');
  });
});
