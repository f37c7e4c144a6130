import { ApiModule } from '@hallwatch/api';
import {
  Alert,
  AlertEvaluator,
  AlertLifecycle,
  AlertRulesRepository,
  AlertsRepository,
  contactSchema,
  NotificationSettingsRepository,
} from '@hallwatch/alerts';
import { WorkerModule } from '@hallwatch/worker';
import {
  createTestDatabase,
  eventually,
  isolatedEnv,
  obliterateQueues,
  RunningApp,
  startApp,
  startWebhookReceiver,
  TestDatabase,
  testSite,
} from '@hallwatch/testing';

/**
 * #19 items 6 and 8, through the worker's real queues on PostgreSQL and Redis: an alert's text is
 * rendered from its stored facts in the reader's language (API ?lang, each contact's language), a
 * rule gated by its chiller's running status raises nothing while it is stopped, and an alert
 * resolved by hand while its condition holds opens again at the next evaluation.
 */
const SITE = 'language-hall';
const RULE = 'chws-high-running';

const EN = 'Test city hall Chiller 1: chwsT 10.2 °C, above 9 °C.';
const ZH = 'Test city hall Chiller 1：chwsT 10.2 °C，高於 9 °C。';

describe('alert texts in the reader’s language, gating and re-opening', () => {
  let testDb: TestDatabase;
  let env: Record<string, string>;
  let worker: RunningApp;
  let api: RunningApp;
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;

  const get = async <T>(path: string): Promise<T> => {
    const response = await fetch(`${api.baseUrl}/api/v1${path}`, { headers: { authorization: `Bearer ${env.HALLWATCH_API_TOKEN}` } });
    expect(response.status).toBe(200);
    return (await response.json()) as T;
  };
  const hookBodies = (path: string) =>
    receiver.accepted(path).map((hook) => JSON.parse(hook.body) as { event: string; lang: string; alert: Alert });
  const sample = (point: string, value: number, ts: number) => ({ site: SITE, asset: 'chiller-1', point, ts, value });

  beforeAll(async () => {
    testDb = await createTestDatabase('postgres');
    receiver = await startWebhookReceiver();
    env = isolatedEnv([testSite(SITE)], { DATABASE_URL: testDb.url!, ALERT_TICK_SECONDS: '1' });
    worker = await startApp(WorkerModule, env, { api: false });
    api = await startApp(ApiModule, env);
    const settings = worker.app.get(NotificationSettingsRepository);
    const contact = (path: string, lang?: string) =>
      contactSchema.parse({ name: path, channel: 'webhook', address: `${receiver.url}/${path}`, ...(lang ? { lang } : {}) });
    await settings.putContact('crew-en', contact('crew-en', 'en'), 'test');
    await settings.putContact('crew-zh', contact('crew-zh'), 'test');
    await settings.putPolicy(
      SITE,
      { levels: [{ afterSeconds: 0, contacts: ['crew-en', 'crew-zh'] }], repeatSeconds: null, minSeverity: 'P4' },
      'test',
    );
    await worker.app.get(AlertRulesRepository).upsert(
      {
        id: RULE,
        name: 'Chilled-water supply above 9 °C',
        severity: 'P2',
        site: SITE,
        target: 'chiller-1',
        condition: { type: 'threshold', point: { asset: 'chiller-1', point: 'chwsT' }, above: 9, forSeconds: 0, hysteresis: 0 },
        appliesWhen: { running: { asset: 'chiller-1', point: 'running' } },
      },
      'api',
      'test',
    );
    await worker.app.get(AlertEvaluator).reload();
  }, 60_000);

  afterAll(async () => {
    await obliterateQueues(worker);
    await api?.close();
    await worker?.close();
    await receiver?.close();
    await testDb?.drop();
  });

  it('raises nothing for a stopped chiller, and the same reading while it runs opens an alert told in each reader’s language', async () => {
    const evaluator = worker.app.get(AlertEvaluator);
    const now = Date.now();
    // Stopped: 12 °C supply says nothing about a chiller at rest. The evaluation's count is the marker that it ran.
    expect(await evaluator.evaluate([sample('running', 0, now - 3000), sample('chwsT', 12, now - 3000)], now - 3000)).toBe(0);
    expect(await evaluator.evaluate([sample('running', 1, now - 2000), sample('chwsT', 10.2, now - 2000)], now - 2000)).toBe(1);

    const [opened] = await eventually(async () => {
      const open = (await worker.app.get(AlertsRepository).list({ site: SITE })).filter((alert) => alert.ruleId === RULE);
      expect(open).toHaveLength(1);
      return open;
    });
    // Stored: the facts, and the default language's text in the columns.
    expect(opened.detail).toBe(ZH);
    expect(opened.facts).toMatchObject({ site: 'Test city hall', asset: 'Chiller 1', breaches: [{ value: 10.2, limit: 9, unit: '°C' }] });

    const english = await get<Array<Alert & { lang: string; texts: Record<string, { detail: string }> }>>(`/alerts?site=${SITE}&lang=en`);
    expect(english[0]).toMatchObject({ id: opened.id, lang: 'en', title: 'Chilled-water supply above 9 °C', detail: EN });
    expect(english[0].texts).toEqual({
      'zh-TW': { title: 'Chilled-water supply above 9 °C', detail: ZH },
      en: { title: 'Chilled-water supply above 9 °C', detail: EN },
    });
    expect((await get<Alert>(`/alerts/${opened.id}`)).detail).toBe(ZH);

    // Each contact in its own language: English where asked, zh-TW by default.
    await eventually(() => {
      expect(hookBodies('/crew-en').map((body) => [body.event, body.lang, body.alert.detail])).toEqual([['alert.opened', 'en', EN]]);
      expect(hookBodies('/crew-zh').map((body) => [body.event, body.lang, body.alert.detail])).toEqual([['alert.opened', 'zh-TW', ZH]]);
    });
  }, 60_000);

  it('re-opens an alert resolved by hand while the condition holds, at the next evaluation, and says so', async () => {
    const alerts = worker.app.get(AlertsRepository);
    const [first] = (await alerts.list({ site: SITE, state: 'open' })).filter((alert) => alert.ruleId === RULE);
    await worker.app.get(AlertLifecycle).resolve(first.id, 'crew', new Date(), 'reset the chiller');
    expect((await alerts.find(first.id))?.state).toBe('resolved');

    // The worker's tick evaluates the rule again (the last reading still holds): a new alert opens,
    // the positive marker that a later evaluation completed.
    const reopened = await eventually(
      async () => {
        const again = (await alerts.list({ site: SITE, state: 'open' })).filter((alert) => alert.ruleId === RULE);
        expect(again).toHaveLength(1);
        return again[0];
      },
      { timeoutMs: 20_000 },
    );
    expect(reopened.id).not.toBe(first.id);
    expect((await alerts.events(reopened.id)).map((event) => event.action)).toEqual(['opened', 'reopened']);
    expect(reopened.detail).toBe(`${ZH}手動解除後狀況仍在，已重新開啟。`);
    expect((await get<Alert>(`/alerts/${reopened.id}?lang=en`)).detail).toBe(
      `${EN} Re-opened: it still held after being resolved by hand.`,
    );
  }, 60_000);

  it('resolves when the chiller stops, saying why in both languages', async () => {
    const alerts = worker.app.get(AlertsRepository);
    const [open] = (await alerts.list({ site: SITE, state: 'open' })).filter((alert) => alert.ruleId === RULE);
    const now = Date.now();
    expect(await worker.app.get(AlertEvaluator).evaluate([sample('running', 0, now)], now)).toBe(1);
    await eventually(async () => expect((await alerts.find(open.id))?.state).toBe('resolved'));
    const resolved = (await alerts.events(open.id)).find((event) => event.action === 'resolved');
    expect(resolved?.detail).toEqual({
      note: '設備已停止運轉（此規則只在運轉時適用），已解除。',
      notes: {
        'zh-TW': '設備已停止運轉（此規則只在運轉時適用），已解除。',
        en: 'Resolved: the equipment stopped (the rule applies only while it runs).',
      },
    });
  }, 60_000);
});
