import { ApiModule } from '@hallwatch/api';
import { AlertEvaluator, AlertRulesRepository, AlertsRepository, starterPack } from '@hallwatch/alerts';
import { ActiveFaults, BuildingModel } from '@hallwatch/simulators';
import { WorkerModule } from '@hallwatch/worker';
import {
  createTestDatabase,
  demoSite,
  eventually,
  isolatedEnv,
  obliterateQueues,
  RunningApp,
  startApp,
  TestDatabase,
} from '@hallwatch/testing';
import { applyValueFaults, createFaultMemory } from '../../simulators/src/faults';

/**
 * A chiller trips (the simulator's chiller-trip fault, which the demo now starts in office hours):
 * the starter pack's equipment-alarm rule opens a P2 alert at once, told as a state in the reader's
 * language (never `alarm 1 above 0.5`), and resolves when the crew resets the alarm.
 */
const site = demoSite();
const RULE = `starter.${site.key}.equipment-alarm.chiller-1`;
const ZH = '示範市政府大樓 冰水主機 1：設備警報中。請到現場查看控制面板的警報代碼，排除原因後復歸；必要時先啟動備用設備。';
const EN =
  "Demo City Hall Chiller 1: in alarm. Read the alarm code on the equipment's control panel, clear the cause and reset it; start the standby unit first if needed.";

describe('a chiller trip raises the equipment alarm', () => {
  let testDb: TestDatabase;
  let worker: RunningApp;
  let api: RunningApp;
  let env: Record<string, string>;

  /** The chiller's alarm contact as the simulator's building model gives it at 10:00 on a weekday, with or without a trip. */
  const alarmContact = (tripped: boolean): number => {
    const day = Date.parse('2025-07-02T10:00:00+08:00');
    const faults = new ActiveFaults([site]);
    if (tripped) faults.add({ kind: 'chiller-trip', asset: 'chiller-1' });
    const values = applyValueFaults(new BuildingModel(site, 104).sample(day), faults.list(), day, {
      site,
      seed: 104,
      memory: createFaultMemory(),
    });
    return values.get('chiller-1')!.alarm;
  };
  const alarmAt = (value: number, ts: number) => ({ site: site.key, asset: 'chiller-1', point: 'alarm', ts, value });

  beforeAll(async () => {
    testDb = await createTestDatabase('postgres');
    env = isolatedEnv([site], { DATABASE_URL: testDb.url!, ALERT_TICK_SECONDS: '1', SIMULATOR: 'off' });
    worker = await startApp(WorkerModule, env, { api: false });
    api = await startApp(ApiModule, env);
    const alarmRules = starterPack(site).filter((rule) => rule.id === RULE);
    expect(alarmRules).toHaveLength(1);
    await worker.app.get(AlertRulesRepository).upsert(alarmRules[0], 'api', 'test');
    await worker.app.get(AlertEvaluator).reload();
  }, 60_000);

  afterAll(async () => {
    await obliterateQueues(worker);
    await api?.close();
    await worker?.close();
    await testDb?.drop();
  });

  it('opens a P2 alert the moment the alarm contact closes, and resolves it when the alarm is reset', async () => {
    const evaluator = worker.app.get(AlertEvaluator);
    const alerts = worker.app.get(AlertsRepository);
    const now = Date.now();
    expect([alarmContact(false), alarmContact(true)]).toEqual([0, 1]);

    // Running normally: the rule evaluated (its count is the marker) and found nothing.
    expect(await evaluator.evaluate([alarmAt(alarmContact(false), now - 2000)], now - 2000)).toBe(0);
    expect(await evaluator.evaluate([alarmAt(alarmContact(true), now - 1000)], now - 1000)).toBe(1);
    const opened = await eventually(async () => {
      const open = (await alerts.list({ site: site.key, state: 'open' })).filter((alert) => alert.ruleId === RULE);
      expect(open).toHaveLength(1);
      return open[0];
    });
    expect(opened).toMatchObject({ severity: 'P2', target: 'chiller-1', title: '冰水主機 1：設備警報（跳機或故障）', detail: ZH });

    const response = await fetch(`${api.baseUrl}/api/v1/alerts/${opened.id}?lang=en`, {
      headers: { authorization: `Bearer ${env.HALLWATCH_API_TOKEN}` },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      title: 'Chiller 1: equipment alarm (tripped or in fault)',
      detail: EN,
    });

    expect(await evaluator.evaluate([alarmAt(0, now)], now)).toBe(1);
    await eventually(async () => expect((await alerts.find(opened.id))?.state).toBe('resolved'));
    const resolved = (await alerts.events(opened.id)).find((event) => event.action === 'resolved');
    expect(resolved?.detail).toEqual({
      note: '設備警報已復歸。',
      notes: { 'zh-TW': '設備警報已復歸。', en: 'Resolved: the alarm has been reset.' },
    });
  }, 60_000);
});
