import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { connectAsync, MqttClient } from 'mqtt';
import { Browser, BrowserContext, Page } from 'playwright-core';
import { MaintenancePlanner } from '@hallwatch/alerts';
import { loadRegistryFile } from '@hallwatch/registry';
import { StandaloneModule } from '@hallwatch/standalone';
import { eventually, isolatedEnv, RunningApp, startApp, TEST_MQTT_URL } from '@hallwatch/testing';
import { buildDashboard, DASHBOARD_DIST, launchChromium, ROOT, SCREENSHOTS, screenshotFor } from '../support/browser';

/**
 * The administration pages, the crews' maintenance page on a phone and the floor plans, in a real
 * browser against the standalone app with the demo city hall (#19 items 3, 4, 5), in zh-TW and English.
 */

const SITE = 'demo-city-hall';
const NS = 'xmlns="http://www.w3.org/2000/svg"';
/** The seed admin token's name: the audit log's actor for what the admin does. */
const ADMIN = 'HALLWATCH_API_TOKEN';

interface AuditRow {
  actor: string;
  action: string;
  detail: { outcome: string };
}

describe('administration, maintenance and floor plans in a browser', () => {
  let env: Record<string, string>;
  let running: RunningApp;
  let publisher: MqttClient;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];

  const call = async <T = unknown>(method: string, path: string, body?: unknown, token = env.HALLWATCH_API_TOKEN) => {
    const response = await fetch(`${running.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : null) as T };
  };
  /** The audit log's successful entries of one route (as registered, e.g. `PUT /api/v1/users/:name`). */
  const audited = async (action: string) =>
    (await call<AuditRow[]>('GET', `/api/v1/audit?action=${encodeURIComponent(action)}`)).body.filter(
      (row) => row.action === action && row.detail.outcome === 'ok',
    );
  const publish = (asset: string, values: Record<string, number>) =>
    publisher.publishAsync(`${env.MQTT_TOPIC_PREFIX}/${SITE}/${asset}`, JSON.stringify({ ts: Date.now(), values }), { qos: 1 });
  const screenshot = async (target: Page, name: string) => expect((await screenshotFor(target, name)).length).toBeGreaterThan(10_000);
  const settled = (target: Page) => eventually(async () => expect(await target.locator('.notice[role=status]').count()).toBe(0));
  const toEnglish = async (target: Page, heading: string) => {
    await target.getByTestId('lang-en').click();
    await target.getByRole('heading', { name: heading, level: 1 }).waitFor();
  };
  const toChinese = async (target: Page, heading: string) => {
    await target.getByTestId('lang-zh-TW').click();
    await target.getByRole('heading', { name: heading, level: 1 }).waitFor();
  };
  const adminTab = async (tab: string, heading: string) => {
    await page.getByTestId(`admin-tab-${tab}`).click();
    await page.getByRole('heading', { name: heading, level: 2, exact: true }).waitFor();
    await settled(page);
  };

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    await buildDashboard();
    const registry = loadRegistryFile(join(ROOT, 'registry/demo-city-hall.yaml'));
    env = isolatedEnv(registry.sites, { DATABASE_EMBEDDED_STORAGE: 'memory', DASHBOARD_DIR: DASHBOARD_DIST });
    running = await startApp(StandaloneModule, env);
    publisher = await connectAsync(TEST_MQTT_URL, { clientId: `${env.MQTT_CLIENT_ID}-device` });
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));

    // The admin signs in with the seed token.
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

  it('manages users, roles and site scopes; a refused change says why and changes nothing', async () => {
    await page.getByTestId('nav-admin').click();
    await page.getByRole('heading', { name: '系統管理', level: 1 }).waitFor();
    await page.getByRole('heading', { name: '使用者、角色與大樓範圍' }).waitFor();

    // Too short a password: the API's reason on the page, and no such user.
    await page.getByTestId('user-name').fill('roof-tech');
    await page.getByTestId('user-password').fill('short');
    await page.getByTestId('user-role').selectOption('maintenance');
    await page.getByTestId('user-sites').fill(SITE);
    await page.getByTestId('user-create').click();
    await eventually(async () => expect(await page.getByTestId('admin-problem').textContent()).toContain('at least 10 characters'));
    expect((await call<Array<{ name: string }>>('GET', '/api/v1/users')).body.map((user) => user.name)).not.toContain('roof-tech');

    await page.getByTestId('user-password').fill('roof-top-2026');
    await page.getByTestId('user-create').click();
    const row = page.getByTestId('user-roof-tech');
    await eventually(async () => expect(await row.textContent()).toContain('啟用中'));
    expect(await page.getByTestId('user-role-roof-tech').inputValue()).toBe('maintenance');
    const stored = async () =>
      (await call<Array<Record<string, unknown>>>('GET', '/api/v1/users')).body.find((user) => user.name === 'roof-tech');
    expect(await stored()).toMatchObject({ role: 'maintenance', sites: [SITE], disabledAt: null });

    await page.getByTestId('user-role-roof-tech').selectOption('engineer');
    await eventually(async () => expect(await stored()).toMatchObject({ role: 'engineer' }));
    await page.getByTestId('user-sites-roof-tech').fill('*');
    await page.getByTestId('user-sites-roof-tech-save').click();
    await eventually(async () => expect(await stored()).toMatchObject({ sites: '*' }));
    await page.getByTestId('user-disable-roof-tech').click();
    await eventually(async () => expect(await row.textContent()).toContain('已停用'));
    expect((await stored())?.disabledAt).not.toBeNull();
    await page.getByTestId('user-enable-roof-tech').click();
    await eventually(async () => expect(await row.textContent()).toContain('啟用中'));
    await page.getByTestId('user-role-roof-tech').selectOption('maintenance');
    await eventually(async () => expect(await stored()).toMatchObject({ role: 'maintenance', disabledAt: null }));

    expect((await audited('POST /api/v1/users')).map((entry) => entry.actor)).toEqual([ADMIN]);
    expect((await audited('PUT /api/v1/users/:name')).length).toBeGreaterThanOrEqual(4);
    expect(await audited('DELETE /api/v1/users/:name')).toHaveLength(1);
    await screenshot(page, 'admin-users-zh-TW.png');
    await toEnglish(page, 'Administration');
    await page.getByRole('heading', { name: 'Users, roles and site scopes' }).waitFor();
    await eventually(async () => expect(await row.textContent()).toContain('Active'));
    await screenshot(page, 'admin-users-en.png');
    await toChinese(page, '系統管理');
  });

  it('creates an API token shown once, which works until it is revoked', async () => {
    await adminTab('tokens', 'API 權杖');
    await page.getByTestId('token-name').fill('BMS gateway 閘道器');
    await page.getByTestId('token-role').selectOption('viewer');
    await page.getByTestId('token-sites').fill(SITE);
    await page.getByTestId('token-create').click();
    const token = ((await page.getByTestId('token-value').textContent()) ?? '').trim();
    expect(token.length).toBeGreaterThan(20);
    expect(await page.getByTestId('token-created').textContent()).toContain('只會顯示這一次');
    const me = await call<{ name: string; role: string }>('GET', '/api/v1/auth/me', undefined, token);
    expect(me).toEqual({ status: 200, body: expect.objectContaining({ name: 'BMS gateway 閘道器', role: 'viewer' }) });
    const listed = (await call<Array<{ id: number; name: string }>>('GET', '/api/v1/tokens')).body.find(
      (candidate) => candidate.name === 'BMS gateway 閘道器',
    )!;
    // The list never holds the token: only the answer to creating it did.
    expect(JSON.stringify((await call('GET', '/api/v1/tokens')).body)).not.toContain(token);
    await page.getByTestId(`token-${listed.id}`).waitFor();
    await screenshot(page, 'admin-tokens-zh-TW.png');

    await page.getByTestId('token-dismiss').click();
    expect(await page.getByTestId('token-value').count()).toBe(0);
    await page.reload();
    await page.getByTestId(`token-${listed.id}`).waitFor();
    expect(await page.content()).not.toContain(token);

    await page.getByTestId(`token-revoke-${listed.id}`).click();
    await eventually(async () => expect(await page.getByTestId(`token-${listed.id}`).count()).toBe(0));
    expect((await call('GET', '/api/v1/auth/me', undefined, token)).status).toBe(401);
    expect(await audited('POST /api/v1/tokens')).toHaveLength(1);
    expect(await audited('DELETE /api/v1/tokens/:id')).toHaveLength(1);
    await toEnglish(page, 'Administration');
    await page.getByRole('heading', { name: 'API tokens', level: 2 }).waitFor();
    await screenshot(page, 'admin-tokens-en.png');
    await toChinese(page, '系統管理');
  });

  it('applies the starter pack, edits a threshold and switches a rule off', async () => {
    await adminTab('rules', '示範市政府大樓 Demo City Hall的警報規則');
    const before = (await call<unknown[]>('GET', `/api/v1/sites/${SITE}/alert-rules`)).body.length;
    await page.getByTestId('starter-pack').click();
    await eventually(async () => expect(await page.getByTestId('starter-pack-added').textContent()).toMatch(/已新增 \d+ 條規則/));
    const rules = (
      await call<Array<{ rule: { id: string; condition: { type: string; above?: number; below?: number } }; enabled: boolean }>>(
        'GET',
        `/api/v1/sites/${SITE}/alert-rules`,
      )
    ).body;
    expect(rules.length).toBeGreaterThan(before);
    const threshold = rules.find((stored) => stored.rule.condition.type === 'threshold' && stored.rule.condition.above !== undefined)!;
    const id = threshold.rule.id;
    await page.getByTestId(`rule-${id}`).waitFor();

    await page.getByTestId(`rule-limit-${id}`).fill('31.5');
    await page.getByTestId(`rule-save-${id}`).click();
    const stored = async () =>
      (await call<{ rule: { condition: { above?: number } }; enabled: boolean }>('GET', `/api/v1/sites/${SITE}/alert-rules/${id}`)).body;
    await eventually(async () => expect((await stored()).rule.condition.above).toBe(31.5));
    // The box follows the stored rule: it shows off once the API has switched it off.
    await page.getByTestId(`rule-enabled-${id}`).click();
    await eventually(async () => expect((await stored()).enabled).toBe(false));
    await eventually(async () => expect(await page.getByTestId(`rule-enabled-${id}`).isChecked()).toBe(false));
    expect(await audited('POST /api/v1/sites/:site/alert-rules/starter-pack')).toHaveLength(1);
    expect(await audited('PUT /api/v1/sites/:site/alert-rules/:id')).toHaveLength(2);
    await screenshot(page, 'admin-rules-zh-TW.png');
    await toEnglish(page, 'Administration');
    await page.getByRole('heading', { name: 'Alert rules of 示範市政府大樓 Demo City Hall' }).waitFor();
    await screenshot(page, 'admin-rules-en.png');
    await toChinese(page, '系統管理');
  });

  it('adds and removes an alert contact; a wrong address is refused with the reason', async () => {
    await adminTab('contacts', '警報通知對象');
    await page.getByTestId('contact-id').fill('duty-engineer');
    await page.getByTestId('contact-name').fill('值班工程師 Duty engineer');
    await page.getByTestId('contact-channel').selectOption('email');
    await page.getByTestId('contact-address').fill('not-an-address');
    await page.getByTestId('contact-sites').fill(SITE);
    await page.getByTestId('contact-save').click();
    await eventually(async () => expect(await page.getByTestId('admin-problem').textContent()).toContain('e-mail'));
    expect((await call<unknown[]>('GET', '/api/v1/alert-contacts')).body).toEqual([]);

    await page.getByTestId('contact-address').fill('duty@city.gov.tw');
    await page.getByTestId('contact-save').click();
    await eventually(async () => expect(await page.getByTestId('contact-duty-engineer').textContent()).toContain('duty@city.gov.tw'));
    expect((await call('GET', '/api/v1/alert-contacts')).body).toEqual([
      expect.objectContaining({ id: 'duty-engineer', channel: 'email', address: 'duty@city.gov.tw', sites: [SITE] }),
    ]);
    await call('PUT', '/api/v1/alert-contacts/facilities-chat', {
      name: '總務科 Teams',
      channel: 'chat',
      address: 'https://chat.example.gov.tw/hooks/abcd1234',
    });
    await page.reload();
    await page.getByTestId('contact-facilities-chat').waitFor();
    await screenshot(page, 'admin-contacts-zh-TW.png');
    await toEnglish(page, 'Administration');
    await page.getByRole('heading', { name: 'Alert contacts', level: 2 }).waitFor();
    await screenshot(page, 'admin-contacts-en.png');
    await toChinese(page, '系統管理');

    await page.getByTestId('contact-remove-facilities-chat').click();
    await eventually(async () => expect(await page.getByTestId('contact-facilities-chat').count()).toBe(0));
    expect((await call<Array<{ id: string }>>('GET', '/api/v1/alert-contacts')).body.map((contact) => contact.id)).toEqual([
      'duty-engineer',
    ]);
    expect((await audited('PUT /api/v1/alert-contacts/:id')).map((entry) => entry.actor)).toEqual([ADMIN, ADMIN]);
    expect(await audited('DELETE /api/v1/alert-contacts/:id')).toHaveLength(1);
  });

  it('adds a site, renames an asset and adds a point to the registry', async () => {
    await adminTab('registry', '大樓');
    await page.getByTestId('site-key').fill('annex');
    await page.getByTestId('site-new-name').fill('市府第二辦公大樓 Annex');
    await page.getByTestId('site-create').click();
    await eventually(async () => expect(await page.getByTestId('sites-list').textContent()).toContain('市府第二辦公大樓 Annex'));

    const asset = page.getByTestId('asset-ahu-2f');
    await asset.locator('summary').click();
    await page.getByTestId('asset-name-ahu-2f').fill('空調箱 2F AHU 2F（更新）');
    await page.getByTestId('asset-save-ahu-2f').click();
    await eventually(async () => expect(await asset.locator('summary').textContent()).toContain('（更新）'));
    await page.getByTestId('point-key-ahu-2f').fill('filterDp');
    await page.getByTestId('point-unit-ahu-2f').fill('Pa');
    await page.getByTestId('point-add-ahu-2f').click();
    await eventually(async () => expect(await asset.textContent()).toContain('filterDp'));

    const site = (
      await call<{ assets: Array<{ key: string; name: string; points: Array<{ key: string; unit: string }> }> }>(
        'GET',
        `/api/v1/sites/${SITE}`,
      )
    ).body;
    const ahu = site.assets.find((candidate) => candidate.key === 'ahu-2f')!;
    expect(ahu.name).toBe('空調箱 2F AHU 2F（更新）');
    expect(ahu.points.map((point) => point.key)).toEqual(expect.arrayContaining(['supplyAirT', 'fanHz', 'running', 'filterDp']));
    expect(ahu.points.find((point) => point.key === 'filterDp')?.unit).toBe('Pa');
    expect((await call<Array<{ key: string }>>('GET', '/api/v1/sites')).body.map((candidate) => candidate.key)).toContain('annex');
    expect(await audited('PUT /api/v1/sites/:site')).toHaveLength(1);
    expect(await audited('PUT /api/v1/sites/:site/assets/:asset')).toHaveLength(1);
    expect(await audited('PUT /api/v1/sites/:site/assets/:asset/points/:point')).toHaveLength(1);
    await screenshot(page, 'admin-registry-zh-TW.png');
    await toEnglish(page, 'Administration');
    await page.getByRole('heading', { name: 'Sites', level: 2, exact: true }).waitFor();
    await screenshot(page, 'admin-registry-en.png');
    await toChinese(page, '系統管理');
  });

  it('gives a technician on a phone (375 px) the overdue and due work, completed with a note; an alert becomes a work item', async () => {
    // Weekly chiller checks anchored two weeks back, planned as of then: last week's item is overdue now.
    // Dates on the site's own calendar (Taipei), as the planner keeps them.
    const today = Date.parse(`${new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Taipei' }).format(new Date())}T00:00:00Z`);
    const daysAgo = (days: number) => new Date(today - days * 86_400_000).toISOString().slice(0, 10);
    expect(
      (
        await call('PUT', '/api/v1/maintenance/tasks/chiller-1-weekly', {
          site: SITE,
          asset: 'chiller-1',
          name: '冰水主機週檢 Weekly chiller check',
          recurrence: 'weekly',
          anchor: daysAgo(14),
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await call('PUT', '/api/v1/maintenance/tasks/ahu-2f-filters', {
          site: SITE,
          asset: 'ahu-2f',
          name: '更換濾網 Replace filters',
          everyRunHours: 2000,
          runPoint: 'running',
        })
      ).status,
    ).toBe(200);
    const planner = running.app.get(MaintenancePlanner, { strict: false });
    await planner.plan(daysAgo(8));
    await planner.plan();
    const open = (await call<Array<{ id: number; dueOn: string }>>('GET', `/api/v1/maintenance/work-items?site=${SITE}&state=open`)).body;
    const overdue = open.find((item) => item.dueOn === daysAgo(7))!;
    expect(overdue).toBeDefined();

    // A zone over the CO2 limit raises an alert to turn into a work item.
    expect(
      (
        await call('PUT', `/api/v1/sites/${SITE}/alert-rules/zone-2f-west-co2`, {
          name: '2F 西區 CO2 過高 CO2 high',
          severity: 'P3',
          target: 'zone-2f-west',
          condition: { type: 'threshold', point: { asset: 'zone-2f-west', point: 'co2' }, above: 1000, forSeconds: 0, hysteresis: 50 },
        })
      ).status,
    ).toBe(200);
    const alert = await eventually(async () => {
      await publish('zone-2f-west', { co2: 1180 });
      const alerts = (await call<Array<{ id: number; ruleId: string }>>('GET', `/api/v1/alerts?site=${SITE}&state=open`)).body;
      const found = alerts.find((candidate) => candidate.ruleId === 'zone-2f-west-co2');
      expect(found).toBeDefined();
      return found!;
    });

    const phone = await browser.newContext({ viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
    try {
      const small = await phone.newPage();
      small.on('pageerror', (error) => pageErrors.push(error.message));
      await small.goto(running.baseUrl);
      await small.getByLabel('帳號').fill('roof-tech');
      await small.getByLabel('密碼').fill('roof-top-2026');
      await small.getByLabel('密碼').press('Enter');
      await small.getByRole('heading', { name: '大樓總覽' }).waitFor();
      expect(await small.getByTestId('nav-admin').count()).toBe(0);
      // The registry test added a second site: the city hall is chosen from the picker.
      await small.getByTestId('site-picker').selectOption(SITE);
      await eventually(async () => expect(await small.getByTestId('site-picker').inputValue()).toBe(SITE));

      await small.goto(`${running.baseUrl}/#/alerts`);
      await small.getByRole('heading', { name: '警報', level: 1 }).waitFor();
      await small.getByTestId(`work-item-from-${alert.id}`).click();
      await eventually(async () =>
        expect(await small.getByTestId(`work-item-made-${alert.id}`).textContent()).toMatch(/已建立維護工作 #\d+/),
      );
      await small.getByTestId(`work-item-made-${alert.id}`).click();

      await small.getByRole('heading', { name: '維護保養', level: 1 }).waitFor();
      await settled(small);
      const overflow = () => small.evaluate<number>('document.scrollingElement.scrollWidth - document.scrollingElement.clientWidth');
      expect(await overflow()).toBe(0);
      const overdueList = small.getByTestId('work-overdue');
      await eventually(async () => expect(await overdueList.textContent()).toContain('冰水主機週檢'));
      expect(await overdueList.textContent()).toContain('逾期 7 天');
      const dueList = small.getByTestId('work-due');
      expect(await dueList.textContent()).toContain('2F 西區 CO2 過高');
      expect(await small.getByTestId('schedules').textContent()).toContain('每運轉 2000 小時');
      expect(await small.getByTestId('schedules').textContent()).not.toContain('CO2 過高');
      // Thumb-sized: the complete button is at least 44 px high.
      const button = await small.getByTestId(`work-complete-${overdue.id}`).boundingBox();
      expect(button!.height).toBeGreaterThanOrEqual(44);
      await screenshot(small, 'maintenance-phone-zh-TW.png');

      await small.getByTestId(`work-note-${overdue.id}`).fill('已清洗冷凝器，壓差正常 ✓');
      await small.getByTestId(`work-complete-${overdue.id}`).click();
      await eventually(async () =>
        expect(await small.getByTestId(`work-done-${overdue.id}`).textContent()).toContain('已清洗冷凝器，壓差正常 ✓'),
      );
      expect(await small.getByTestId(`work-item-${overdue.id}`).count()).toBe(0);
      const done = (
        await call<Array<{ id: number; note: string; completedBy: string }>>(
          'GET',
          `/api/v1/maintenance/work-items?site=${SITE}&state=done`,
        )
      ).body;
      expect(done.find((item) => item.id === overdue.id)).toMatchObject({ note: '已清洗冷凝器，壓差正常 ✓', completedBy: 'roof-tech' });
      expect((await audited('POST /api/v1/maintenance/work-items/from-alert/:alertId')).map((entry) => entry.actor)).toEqual(['roof-tech']);
      expect((await audited('POST /api/v1/maintenance/work-items/:id/complete')).map((entry) => entry.actor)).toEqual(['roof-tech']);

      await toEnglish(small, 'Maintenance');
      expect(await small.getByTestId('work-due').textContent()).toMatch(/Due \(\d+\)/);
      expect(await overflow()).toBe(0);
      await screenshot(small, 'maintenance-phone-en.png');
    } finally {
      await phone.close();
    }
  }, 60_000);

  it('draws a floor as a zone grid coloured live, refuses a hostile plan, shows an uploaded one, and opens a zone’s trends', async () => {
    await publish('zone-2f-east', { temp: 25.1, co2: 640 });
    await publish('zone-2f-west', { temp: 27.0, co2: 1180 });
    await page.getByTestId('nav-floors').click();
    await page.getByRole('heading', { name: '樓層平面', level: 1 }).waitFor();
    await page.getByTestId('floor-2F').click();
    const east = page.getByTestId('plan-zone-zone-2f-east').locator('rect');
    const west = page.getByTestId('plan-zone-zone-2f-west').locator('rect');
    await eventually(async () => expect(await east.getAttribute('data-state')).toBe('cold'));
    expect(await west.getAttribute('data-state')).toBe('ok');
    expect(await west.getAttribute('data-co2')).toBe('high');
    expect(await page.getByTestId('plan-row-zone-2f-west').textContent()).toContain('1,000 ppm');
    // Live: a warmer reading recolours the zone.
    await publish('zone-2f-east', { temp: 28.6 });
    await eventually(async () => expect(await east.getAttribute('data-state')).toBe('warm'));
    expect(await page.getByTestId('plan-kind').textContent()).toBe('依登錄資料產生的區域格');
    await settled(page);
    await screenshot(page, 'floor-plan-zh-TW.png');

    // A drawing with a script: refused with the reason, and nothing stored.
    await page.getByTestId('plan-file').setInputFiles({
      name: 'plan.svg',
      mimeType: 'image/svg+xml',
      buffer: Buffer.from(`<svg ${NS}><rect data-zone="zone-2f-east" width="10" height="10"/><script>window.__owned = 1</script></svg>`),
    });
    await eventually(async () => expect(await page.getByTestId('plan-problem').textContent()).toContain('<script> is not accepted'));
    expect((await call('GET', `/api/v1/sites/${SITE}/floors/2F/plan`)).status).toBe(404);

    const drawing = `<?xml version="1.0"?><svg ${NS} viewBox="0 0 600 300">
      <rect x="0" y="0" width="600" height="300" fill="#161d27"/>
      <path data-zone="zone-2f-west" d="M10 10 H290 V290 H10 Z"/>
      <polygon data-zone="zone-2f-east" points="310,10 590,10 590,290 310,290"/>
      <text x="30" y="40" fill="#e8eef5" font-size="22">西區 West</text>
      <text x="330" y="40" fill="#e8eef5" font-size="22">東區 East</text>
    </svg>`;
    await page.getByTestId('plan-file').setInputFiles({ name: 'plan.svg', mimeType: 'image/svg+xml', buffer: Buffer.from(drawing) });
    await eventually(async () => expect(await page.getByTestId('plan-kind').textContent()).toBe('上傳的平面圖'));
    const uploadedEast = page.locator('[data-testid="floor-plan"] [data-zone="zone-2f-east"]');
    await eventually(async () => expect(await uploadedEast.getAttribute('data-state')).toBe('warm'));
    expect(await page.locator('[data-testid="floor-plan"] [data-zone="zone-2f-west"]').getAttribute('stroke-width')).toBe('6');
    expect((await call<{ kind: string; updatedBy: string }>('GET', `/api/v1/sites/${SITE}/floors/2F/plan`)).body).toMatchObject({
      kind: 'svg',
      updatedBy: ADMIN,
    });
    expect(await audited('PUT /api/v1/sites/:site/floors/:floor/plan')).toHaveLength(1);
    await settled(page);
    await toEnglish(page, 'Floor plans');
    await screenshot(page, 'floor-plan-en.png');

    await uploadedEast.click();
    await page.getByRole('heading', { name: 'Trends', level: 1 }).waitFor();
    expect(page.url()).toContain('asset=zone-2f-east');
    expect(await page.evaluate('window.__owned')).toBeUndefined();
    expect(pageErrors).toEqual([]);
  });

  it('has no serious accessibility faults on the new pages (axe-core)', async () => {
    // bypassCSP: the page's policy rightly refuses injected scripts, and axe-core is one.
    const audit = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
    try {
      const checked = await audit.newPage();
      checked.on('pageerror', (error) => pageErrors.push(error.message));
      await checked.goto(running.baseUrl);
      await checked.getByTestId('sign-in-mode').click();
      await checked.getByLabel('存取權杖').fill(env.HALLWATCH_API_TOKEN);
      await checked.getByRole('button', { name: '登入' }).click();
      await checked.getByRole('heading', { name: '大樓總覽' }).waitFor();
      const faults: Record<string, unknown[]> = {};
      for (const route of [
        'floors',
        'maintenance',
        ...['users', 'tokens', 'rules', 'contacts', 'registry'].map((tab) => `admin?tab=${tab}`),
      ]) {
        await checked.goto(`${running.baseUrl}/#/${route}`);
        await checked.locator('h1').waitFor();
        await settled(checked);
        await checked.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
        const violations = await checked.evaluate<Array<{ id: string; impact: string; nodes: number; first: string }>>(
          `axe.run(document, { runOnly: ['wcag2a', 'wcag2aa'] }).then((result) => result.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length, first: String(v.nodes[0].target) })))`,
        );
        const serious = violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
        if (serious.length > 0) faults[route] = serious;
      }
      expect(faults).toEqual({});
      expect(pageErrors).toEqual([]);
    } finally {
      await audit.close();
    }
  });
});
