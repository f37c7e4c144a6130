import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { connectAsync, MqttClient } from 'mqtt';
import { AlertRulesRepository, contactSchema, NotificationSettingsRepository, RuleDefinition } from '@hallwatch/alerts';
import { AppConfig } from '@hallwatch/config';
import { bullmqOptions, QUEUES } from '@hallwatch/jobs';
import { RegistryRepository } from '@hallwatch/registry';
import {
  AppProcess,
  createTestDatabase,
  eventually,
  freePort,
  isolatedEnv,
  startProcess,
  startWebhookReceiver,
  testSite,
  TestDatabase,
} from '@hallwatch/testing';

/**
 * An ingest process that finds a breach saves the rule's new state and then queues the
 * transition; killed in between (#16 item 10: "an alert can fail to notify anyone"), the
 * transition stays pending in the rule's state, and the next evaluator to advance the rule (here
 * the worker's tick) queues it: the crew is told once. Needs `npm run build`.
 */
const SITE = 'rule-crash-hall';
const rule: RuleDefinition = {
  id: 'rule-crash-load',
  name: 'Main incomer above 400 kW',
  severity: 'P2',
  site: SITE,
  target: 'main-incomer',
  condition: { type: 'threshold', point: { asset: 'main-incomer', point: 'kW' }, above: 400, forSeconds: 0, hysteresis: 0 },
};

describe('a rule transition whose evaluator died before queuing it', () => {
  let testDb: TestDatabase;
  let env: Record<string, string>;
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let alertsQueue: Queue;
  let device: MqttClient;
  const processes: AppProcess[] = [];

  const start = async (app: 'ingest' | 'worker', extra: Record<string, string> = {}) => {
    const port = String(await freePort());
    const started = startProcess(app, { ...env, HALLWATCH_APP: app, PORT: port, ...extra });
    processes.push(started);
    await eventually(async () => expect((await fetch(`http://127.0.0.1:${port}/health/live`)).status).toBe(200), { timeoutMs: 30_000 });
    return started;
  };

  beforeAll(async () => {
    testDb = await createTestDatabase('postgres');
    receiver = await startWebhookReceiver();
    env = isolatedEnv([testSite(SITE)], { DATABASE_URL: testDb.url!, ALERT_TICK_SECONDS: '1' });
    await new RegistryRepository(testDb.db).applySites([testSite(SITE)], 'registry');
    await new AlertRulesRepository(testDb.db).seed([rule], 'test');
    const settings = new NotificationSettingsRepository(testDb.db);
    await settings.putContact('crew', contactSchema.parse({ name: 'crew', channel: 'webhook', address: `${receiver.url}/crew` }), 'test');
    await settings.putPolicy(SITE, { levels: [{ afterSeconds: 0, contacts: ['crew'] }], repeatSeconds: null, minSeverity: 'P4' }, 'test');
    alertsQueue = new Queue(QUEUES.alerts, bullmqOptions(AppConfig.from(env)));
    device = await connectAsync(env.MQTT_URL, { clientId: `${env.MQTT_CLIENT_ID}-device` });
  });

  afterAll(async () => {
    await Promise.all(processes.map((running) => running.stop('SIGKILL')));
    await device?.endAsync();
    for (const name of Object.values(QUEUES)) {
      const queue = new Queue(name, bullmqOptions(AppConfig.from(env)));
      await queue.obliterate({ force: true });
      await queue.close();
    }
    await alertsQueue?.close();
    await receiver?.close();
    await testDb?.drop();
  });

  it('queues the transition left pending by the dead evaluator, and tells the crew once', async () => {
    const ingest = await start('ingest', { HALLWATCH_FAULT: 'crash-after-rule-state' });
    const breach = { ts: Date.now(), values: { kW: 512 } };
    await device.publishAsync(`${env.MQTT_TOPIC_PREFIX}/${SITE}/main-incomer`, JSON.stringify(breach), { qos: 1 });
    await eventually(() => expect(ingest.child.signalCode).toBe('SIGKILL'), { timeoutMs: 30_000 });
    // It died after saving the state, with the transition pending in it, and before queuing: nothing
    // is queued, no alert exists.
    const redis = new Redis(env.REDIS_URL);
    const saved = JSON.parse((await redis.get(`${env.REDIS_PREFIX}:alert-state:${rule.id}`))!) as { pending?: Array<{ kind: string }> };
    await redis.quit();
    expect(saved.pending?.map((change) => change.kind)).toEqual(['open']);
    const counts = await alertsQueue.getJobCounts('waiting', 'delayed', 'active', 'completed', 'failed');
    expect(Object.values(counts).reduce((sum, count) => sum + count, 0)).toBe(0);
    expect(await testDb.db.query('select 1 from alerts where rule_id = $1', [rule.id])).toHaveLength(0);

    // The worker's tick advances every rule each second: it finds the pending transition and queues it.
    await start('worker');
    await eventually(() => expect(receiver.accepted('/crew')).toHaveLength(1), { timeoutMs: 60_000, intervalMs: 250 });
    // Everything had its chance to open a second alert: several ticks completed after the first one.
    const ticksSeen = await alertsQueue.getCompletedCount();
    await eventually(async () => expect(await alertsQueue.getCompletedCount()).toBeGreaterThan(ticksSeen + 3), { timeoutMs: 60_000 });
    expect(await testDb.db.query('select 1 from alerts where rule_id = $1', [rule.id])).toHaveLength(1);
    expect(receiver.accepted('/crew')).toHaveLength(1);
  }, 180_000);
});
