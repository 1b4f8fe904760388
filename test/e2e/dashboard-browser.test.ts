/**
 * The dashboard in a real browser (Debian's chromium driven by playwright-core): every stage
 * queue is listed, a deliberately failed job shows its error, and the overview page renders.
 * Saves test/e2e/screenshots/dashboard.png and overview.png (used by the README).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { createMonitorServer, type MonitorServer } from '../../jobs/monitor/server.js';
import { STAGES } from '../../src/config.js';
import { createFixture, fileData, touch, waitFor, type Fixture } from '../unit/monitor/fixture.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOTS = path.join(import.meta.dirname, 'screenshots');
const FAILURE = 'E_BAD_JSON: unexpected end of JSON input at line 3 of feed.json';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`dashboard browser test skipped: no chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`);

describe.skipIf(!hasChromium)('dashboard in a browser', () => {
  let fx: Fixture;
  let server: MonitorServer;
  let url: string;
  let profile: string;
  let browser: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    fx = await createFixture();
    fx.work('intake', async (job) => {
      if (job.data.file.name === 'feed.json') throw new Error(FAILURE);
      return { records: 1 };
    });
    fx.work('clean', async () => ({ cuts: 3 }));
    await fx.queues.intake.add('intake', fileData('dump-001.txt'), { jobId: 'dump-001' });
    await fx.queues.intake.add('intake', fileData('feed.json'), { jobId: 'feed-json' });
    await fx.queues.clean.add('clean', fileData('dump-001.txt'), { jobId: 'dump-001.r0' });
    await fx.queues.split.add('split', fileData('dump-001.txt'), { jobId: 'dump-001.r0' });
    await waitFor('jobs settled', async () => (await fx.queues.intake.getJobState('feed-json')) === 'failed' && (await fx.queues.clean.getJobState('dump-001.r0')) === 'completed');
    for (const ms of [12, 30, 45, 80]) await fx.stats.observe('clean', ms);
    await fx.stats.countMany('intake', { processed: 1 });
    await fx.stats.countMany('clean', { processed: 4 });
    await fx.stats.countMany('split', { dropped_too_short: 1 });
    await fx.stats.countMany('pipeline', { failed_E_BAD_JSON: 1 });
    await fx.stats.count('intake', 'failed');
    await touch(path.join(fx.config.failedDir, 'feed.json'));
    await touch(path.join(fx.config.inbox, 'next.txt'));

    server = createMonitorServer({ config: fx.config, redis: fx.redis, queues: fx.queues, stats: fx.stats, logger: fx.logger });
    url = (await server.listen(0, '127.0.0.1')).url;
    profile = await mkdtemp(path.join(os.tmpdir(), 'copydesk-chromium-'));
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1280, height: 800 },
    });
    // Hermetic: the board's web-font link would otherwise wait on the network.
    await browser.route(/^https?:\/\/(?!127\.0\.0\.1[:/])/, (route) => route.abort());
    page = browser.pages()[0] ?? (await browser.newPage());
    await mkdir(SCREENSHOTS, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await fx?.cleanup();
    if (profile) await rm(profile, { recursive: true, force: true });
  });

  it('lists every stage queue and shows the failed job with its error', async () => {
    await page.goto(`${url}/`, { waitUntil: 'domcontentloaded' });
    for (const stage of STAGES) {
      await page.getByRole('link', { name: stage, exact: true }).first().waitFor({ timeout: 15_000 });
    }
    await page.goto(`${url}/queue/intake?status=failed`, { waitUntil: 'domcontentloaded' });
    const error = page.getByText(FAILURE).first();
    await error.waitFor({ timeout: 15_000 });
    expect(await error.isVisible()).toBe(true);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'dashboard.png') });
  });

  it('links the pipeline overview from the dashboard menu, and renders it', async () => {
    await page.goto(`${url}/`, { waitUntil: 'domcontentloaded' });
    await page.getByRole('link', { name: 'store', exact: true }).first().waitFor({ timeout: 15_000 });
    await page.locator('header button').last().click();
    await page.getByRole('menuitem', { name: 'Pipeline overview' }).click();
    await page.waitForURL(`${url}/overview`);
    for (const stage of STAGES) expect(await page.locator(`tr[data-stage="${stage}"]`).count()).toBe(1);
    expect(await page.locator('tr[data-stage="intake"] td').nth(3).innerText()).toBe('1');
    expect(await page.locator('#failures').innerText()).toBe('E_BAD_JSON 1');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'overview.png'), fullPage: true });
  });
});
