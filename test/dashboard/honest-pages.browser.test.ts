import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { connectAsync, MqttClient } from 'mqtt';
import { Browser, BrowserContext, Page } from 'playwright-core';
import { loadRegistryFile } from '@hallwatch/registry';
import { StandaloneModule } from '@hallwatch/standalone';
import { eventually, isolatedEnv, RunningApp, startApp, TEST_MQTT_URL } from '@hallwatch/testing';
import { buildDashboard, DASHBOARD_DIST, launchChromium, ROOT, SCREENSHOTS, screenshotFor } from '../support/browser';

/**
 * Pages that say when their period lacks data, in a real browser against the standalone app with
 * the demo city hall's registry. The main incomer has a little data yesterday (30 minutes at this
 * time of day), and today only the last six hours with an hour missing in the middle: today's
 * energy is partial, yesterday's comparison is partial, the baseline year has nothing.
 */
const SITE = 'demo-city-hall';
const MINUTE = 60_000;
const QUARTER = 15 * MINUTE;
const TAIPEI_MS = 8 * 3_600_000;
/** Asia/Taipei has no daylight saving: its midnight is a fixed offset from UTC's. */
const taipeiMidnight = (ts: number) => Math.floor((ts + TAIPEI_MS) / 86_400_000) * 86_400_000 - TAIPEI_MS;

describe('honest pages: coverage, gaps, partial figures and missing values', () => {
  let env: Record<string, string>;
  let running: RunningApp;
  let publisher: MqttClient;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];
  /** When the readings were laid out: every expectation below is worked out from it. */
  const start = Math.floor(Date.now() / MINUTE) * MINUTE;
  /** Today's readings: every minute from 6 h ago to 90 min ago, and from 30 min ago to a minute ago (the hour between is missing). */
  const todayTs = [
    ...Array.from({ length: 271 }, (_, i) => start - 360 * MINUTE + i * MINUTE),
    ...Array.from({ length: 30 }, (_, i) => start - 30 * MINUTE + i * MINUTE),
  ];
  /** Yesterday's: 40 to 10 minutes before this time of day, every minute. */
  const yesterdayTs = Array.from({ length: 31 }, (_, i) => start - 24 * 60 * MINUTE - 40 * MINUTE + i * MINUTE);

  const text = async (testId: string) => ((await page.getByTestId(testId).first().textContent()) ?? '').trim();
  const screenshot = async (name: string) => expect((await screenshotFor(page, name)).length).toBeGreaterThan(10_000);

  /**
   * Today's coverage worked out from the readings published: of today's whole quarter hours up to
   * now, those that hold a reading (the quarter-hour rule of coverage.schema.ts).
   */
  const todayCoveragePercent = (now: number) => {
    const midnight = taipeiMidnight(now);
    const wholeQuarters = (Math.floor(now / QUARTER) * QUARTER - midnight) / QUARTER;
    const withData = new Set(
      [...yesterdayTs, ...todayTs].map((ts) => Math.floor(ts / QUARTER) * QUARTER).filter((q) => q >= midnight && q + QUARTER <= now),
    );
    return Math.round((100 * withData.size) / wholeQuarters);
  };

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    await buildDashboard();
    const registry = loadRegistryFile(join(ROOT, 'registry/demo-city-hall.yaml'));
    env = isolatedEnv(registry.sites, { DATABASE_EMBEDDED_STORAGE: 'memory', DASHBOARD_DIR: DASHBOARD_DIST, SIMULATOR: 'off' });
    running = await startApp(StandaloneModule, env);
    publisher = await connectAsync(TEST_MQTT_URL, { clientId: `${env.MQTT_CLIENT_ID}-device` });

    // 300 kW: the register steps by 5 kWh a minute.
    const payload = [...yesterdayTs, ...todayTs].map((ts) => ({
      ts,
      values: { kW: 300, kWh: 1_000_000 + ((ts - yesterdayTs[0]) / MINUTE) * 5 },
    }));
    await publisher.publishAsync(`${env.MQTT_TOPIC_PREFIX}/${SITE}/main-incomer`, JSON.stringify(payload), { qos: 1 });
    await eventually(async () => {
      const response = await fetch(`${running.baseUrl}/api/v1/sites/${SITE}/overview`, {
        headers: { authorization: `Bearer ${env.HALLWATCH_API_TOKEN}` },
      });
      const body = (await response.json()) as { dataThrough: string | null };
      expect(body.dataThrough).toBe(new Date(todayTs.at(-1)!).toISOString());
    });

    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(running.baseUrl);
    await page.getByTestId('sign-in-mode').click();
    await page.getByLabel('存取權杖').fill(env.HALLWATCH_API_TOKEN);
    await page.getByRole('button', { name: '登入' }).click();
    await page.getByRole('heading', { name: '大樓總覽' }).waitFor();
  }, 180_000);

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await publisher?.endAsync();
    await running?.close();
  });

  it('zh-TW overview: coverage of today, the partial comparison, — for the baseline without data, a break in the trend', async () => {
    await eventually(async () =>
      expect(await text('today-coverage')).toMatch(new RegExp(`^資料涵蓋 ${todayCoveragePercent(Date.now())}%`)),
    );
    // Data began 6 hours ago: said when that is later than today's first quarter hour.
    if (todayTs[0] - taipeiMidnight(Date.now()) > QUARTER) expect(await text('today-coverage')).toMatch(/（\d{2}:\d{2} 起才有資料）$/);

    // Yesterday has 30 minutes of data up to this time of day (when today is older than those 40 minutes).
    const yesterdayInWindow = yesterdayTs[0] >= taipeiMidnight(Date.now()) - 86_400_000;
    if (yesterdayInWindow) {
      expect(await page.getByTestId('vs-yesterday').getAttribute('data-partial')).toBe('true');
      expect(await text('vs-yesterday')).toMatch(/^昨日同時段 [\d,]+ kWh（[+−][\d.]+%，資料不完整）$/);
    } else expect(await text('vs-yesterday')).toBe('昨日同時段 —（無資料）');
    expect(await text('vs-baseline')).toMatch(/^基期同星期 2015\/\d{2}\/\d{2} —（無資料）$/);
    // No PV nor weather readings: — with the reason, never 0.
    expect(await text('pv-kw')).toBe('—');
    expect(await page.locator('#pv-kw-label').locator('..').textContent()).toContain('尚未收到數值');

    // The trend breaks across the missing hour instead of drawing a line over it.
    await page.locator('.chart canvas').first().waitFor();
    await eventually(async () => expect(await page.locator('.chart').first().getAttribute('data-gaps')).toBe('1'));
    await screenshot('honest-overview-zh-TW.png');
  });

  it('English overview: the same, in English', async () => {
    await page.getByTestId('lang-en').click();
    await page.getByRole('heading', { name: 'Building overview' }).waitFor();
    await eventually(async () =>
      expect(await text('today-coverage')).toMatch(new RegExp(`^${todayCoveragePercent(Date.now())}% of the period has data`)),
    );
    if (yesterdayTs[0] >= taipeiMidnight(Date.now()) - 86_400_000)
      expect(await text('vs-yesterday')).toMatch(/^Yesterday by now [\d,]+ kWh \([+−][\d.]+%, partial data\)$/);
    expect(await text('vs-baseline')).toMatch(/^Baseline weekday .+ — \(no data\)$/);
    expect(await page.locator('.chart').first().getAttribute('data-gaps')).toBe('1');
    await screenshot('honest-overview-en.png');
  });

  it("the stale badge: live while readings come, stale twice the point's interval after its newest timestamp; a late old reading does not revive it", async () => {
    const state = () => page.getByTestId('connection').getAttribute('data-state');
    const publishKw = (ts: number) =>
      publisher.publishAsync(`${env.MQTT_TOPIC_PREFIX}/${SITE}/main-incomer`, JSON.stringify({ ts, values: { kW: 310 } }), { qos: 1 });
    // Two readings 5 s apart: the stream's cadence for a point the registry gives no interval (kW).
    const newest = Date.now();
    await publishKw(newest - 5000);
    await publishKw(newest);
    await eventually(async () => expect(await state()).toBe('live'));
    // A back-filled reading from an hour ago arrives now: the newest timestamp stays the one that counts.
    await publishKw(newest - 3_600_000);
    // When exactly it turns is the unit test's (connection-view.spec.ts, a fake clock); here, that the page does.
    await eventually(async () => expect(await state()).toBe('stale'), { timeoutMs: 30_000 });
    expect(await page.getByTestId('connection').textContent()).toMatch(/Stale|資料延遲/);
  });

  it('savings: says how many days of each period have data and marks the figures partial, in both languages', async () => {
    await page.getByTestId('nav-savings').click();
    await eventually(async () =>
      expect(await text('savings-partial')).toMatch(
        /^Partial data: \d+ of the [\d,]+ days of the period and 0 of the [\d,]+ baseline days have data$/,
      ),
    );
    await page.getByTestId('lang-zh-TW').click();
    await eventually(async () =>
      expect(await text('savings-partial')).toMatch(/^資料不完整：本期 [\d,]+ 天中 \d+ 天、基期 [\d,]+ 天中 0 天有資料$/),
    );
    // The months table: the baseline year has no data in this month, so — and no difference, never 0; the legend says why.
    const cells = page.getByTestId('savings-months').locator('tbody tr').last().locator('td');
    expect(await cells.nth(1).textContent()).toBe('—');
    expect(await cells.nth(2).textContent()).toBe('—');
    expect(await text('savings-month-legend')).toContain('不以 0 計');
    // Nothing in the baseline year: no percentage, and the reason instead.
    expect(await page.locator('#savings-difference-label').locator('..').textContent()).toContain('基期無資料');
    expect(await text('savings-cost')).toBe('—');
    expect(await text('savings-cost-missing')).toBe('資料不足，不計算金額');
    await screenshot('honest-savings-zh-TW.png');
    expect(pageErrors).toEqual([]);
  });
});
