import { getQueueToken } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import { Client } from 'pg';
import { AlertRulesRepository, contactSchema, NotificationSettingsRepository, ruleDefinitionSchema } from '@hallwatch/alerts';
import { JOB_QUEUE, JobName, JobPayloads } from '@hallwatch/jobs';
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
 * An alert never waits behind a slow job (#16 item 13): a night-patrol tuning run held up for as
 * long as the test likes (it waits for a lock the test holds on the rollups it reads) while an
 * alert opens and its notification goes out; /metrics shows the housekeeping work waiting behind it.
 */
const SITE = 'slow-job-hall';

describe('an alert beside a slow job', () => {
  let testDb: TestDatabase;
  let running: RunningApp;
  let token: string;
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let locker: Client | undefined;
  const queueOf = (name: JobName) => running.app.get<Queue>(getQueueToken(JOB_QUEUE[name]));
  const metrics = async () => (await fetch(`${running.baseUrl}/metrics`, { headers: { authorization: `Bearer ${token}` } })).text();

  beforeAll(async () => {
    testDb = await createTestDatabase('postgres');
    receiver = await startWebhookReceiver();
    const env = isolatedEnv([testSite(SITE)], { DATABASE_URL: testDb.url! });
    token = env.HALLWATCH_API_TOKEN;
    running = await startApp(WorkerModule, env, { api: false });
  });

  afterAll(async () => {
    await locker?.end();
    await obliterateQueues(running);
    await running?.close();
    await receiver?.close();
    await testDb?.drop();
  });

  it('opens an alert and notifies while a tuning run is still running, then lets the run finish', async () => {
    const rules = running.app.get(AlertRulesRepository);
    const nightPatrol = ruleDefinitionSchema.parse({
      id: 'night-patrol',
      name: 'Night load above base',
      site: SITE,
      target: 'main-incomer',
      condition: { type: 'threshold', point: { asset: 'main-incomer', point: 'kW' }, above: 100, forSeconds: 0 },
      tuning: { kind: 'night-base-load', factor: 1.2 },
    });
    await rules.upsert(nightPatrol, 'api', 'test');
    const settings = running.app.get(NotificationSettingsRepository);
    await settings.putContact('crew', contactSchema.parse({ name: 'crew', channel: 'webhook', address: `${receiver.url}/crew` }), 'test');
    await settings.putPolicy(SITE, { levels: [{ afterSeconds: 0, contacts: ['crew'] }], repeatSeconds: null, minSeverity: 'P4' }, 'test');
    const housekeeping = queueOf('alerts.tune');
    // The scheduled first runs are done: nothing but the test's own jobs will be waiting.
    await eventually(async () => expect((await housekeeping.getActiveCount()) + (await housekeeping.getWaitingCount())).toBe(0));

    locker = new Client({ connectionString: testDb.url });
    await locker.connect();
    await locker.query('begin');
    await locker.query('lock table rollups_15m in access exclusive mode');
    const tune = await housekeeping.add('alerts.tune', { correlationId: 'slow' } satisfies JobPayloads['alerts.tune']);
    // The run is inside, waiting for the rollups.
    await eventually(async () => {
      expect(await tune.getState()).toBe('active');
      const [blocked] = (
        await locker!.query<{ count: number }>(
          `select count(*)::int as count from pg_locks where not granted and relation = 'rollups_15m'::regclass`,
        )
      ).rows;
      expect(blocked.count).toBeGreaterThan(0);
    });
    const plan = await queueOf('maintenance.plan').add('maintenance.plan', {
      correlationId: 'behind',
    } satisfies JobPayloads['maintenance.plan']);
    await eventually(async () => {
      const text = await metrics();
      expect(text).toContain('hallwatch_queue_waiting_jobs{queue="housekeeping"} 1');
      expect(text).toContain('hallwatch_queue_waiting_jobs{queue="alerts"} 0');
      expect(text).toMatch(/hallwatch_queue_oldest_waiting_seconds\{queue="housekeeping"\} \d/);
    });

    const transition: JobPayloads['alerts.transition'] = {
      ruleId: 'night-patrol',
      site: SITE,
      target: 'main-incomer',
      change: { kind: 'open', at: Date.now(), openedAt: Date.now(), value: 180, detail: 'kW 180 > 100' },
    };
    await queueOf('alerts.transition').add('alerts.transition', transition);
    const [hook] = await eventually(() => {
      const hooks = receiver.accepted('/crew');
      expect(hooks).toHaveLength(1);
      return hooks;
    });
    expect(JSON.parse(hook.body)).toMatchObject({ event: 'alert.opened', alert: { ruleId: 'night-patrol', state: 'open' } });
    expect(await tune.getState()).toBe('active');

    await locker.query('rollback');
    await eventually(async () => expect(await tune.getState()).toBe('completed'));
    await eventually(async () => expect(await plan.getState()).toBe('completed'));
    await eventually(async () => {
      const text = await metrics();
      expect(text).toContain('hallwatch_queue_oldest_waiting_seconds{queue="housekeeping"} 0');
      expect(text).toContain('hallwatch_outbox_unrelayed_jobs 0');
    });
  }, 60_000);
});
