import { Queue } from 'bullmq';
import { contactSchema, NotificationSettingsRepository } from '@hallwatch/alerts';
import { AppConfig } from '@hallwatch/config';
import { bullmqOptions, JobPayloads, QUEUES } from '@hallwatch/jobs';
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
 * The worker process killed between an alert's commit and the enqueueing of its escalation, then
 * between the relay's enqueueing and its marking the outbox row relayed (#16 item 10): the crew is
 * told once. Also: a job whose payload does not fit fails for good, logged with its id (item 12).
 * Needs `npm run build`.
 */
const SITE = 'crash-hall';

describe('jobs of a worker process that crashes', () => {
  let testDb: TestDatabase;
  let env: Record<string, string>;
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let alertsQueue: Queue;
  let notificationsQueue: Queue;
  const workers: AppProcess[] = [];

  const startWorker = async (fault?: 'crash-after-alert-commit' | 'crash-after-relay-enqueue') => {
    const worker = startProcess('worker', {
      ...env,
      HALLWATCH_APP: 'worker',
      PORT: String(await freePort()),
      ...(fault ? { HALLWATCH_FAULT: fault } : {}),
    });
    workers.push(worker);
    return worker;
  };
  const killedItself = (worker: AppProcess) => eventually(() => expect(worker.child.signalCode).toBe('SIGKILL'), { timeoutMs: 30_000 });
  const outbox = () =>
    testDb.db.query<{ key: string; relayed: boolean }>(
      'select job_key as key, relayed_at is not null as relayed from job_outbox order by id',
    );

  beforeAll(async () => {
    testDb = await createTestDatabase('postgres');
    receiver = await startWebhookReceiver();
    env = isolatedEnv([testSite(SITE)], { DATABASE_URL: testDb.url! });
    const settings = new NotificationSettingsRepository(testDb.db);
    await settings.putContact('crew', contactSchema.parse({ name: 'crew', channel: 'webhook', address: `${receiver.url}/crew` }), 'test');
    await settings.putPolicy(SITE, { levels: [{ afterSeconds: 0, contacts: ['crew'] }], repeatSeconds: null, minSeverity: 'P4' }, 'test');
    const options = bullmqOptions(AppConfig.from(env));
    alertsQueue = new Queue(QUEUES.alerts, options);
    notificationsQueue = new Queue(QUEUES.notifications, options);
  });

  afterAll(async () => {
    await Promise.all(workers.map((worker) => worker.stop('SIGKILL')));
    for (const queue of [alertsQueue, notificationsQueue]) await queue?.obliterate({ force: true });
    for (const name of [QUEUES.reports, QUEUES.housekeeping]) {
      const queue = new Queue(name, bullmqOptions(AppConfig.from(env)));
      await queue.obliterate({ force: true });
      await queue.close();
    }
    await alertsQueue?.close();
    await notificationsQueue?.close();
    await receiver?.close();
    await testDb?.drop();
  });

  it('tells the crew once although the worker died after the alert committed, and again after relaying', async () => {
    const crashing = await startWorker('crash-after-alert-commit');
    const transition: JobPayloads['alerts.transition'] = {
      ruleId: 'chws-high',
      site: SITE,
      target: 'chiller-1',
      change: { kind: 'open', at: Date.now(), openedAt: Date.now(), value: 10.4, detail: 'chwsT 10.4 > 9' },
    };
    const opening = await alertsQueue.add('alerts.transition', transition, { attempts: 5 });
    await killedItself(crashing);

    // Committed: the alert and its escalation, which nothing has enqueued.
    const [alert] = await testDb.db.query<{ id: number; repeats: number }>(
      `select id::int, repeats from alerts where rule_id = 'chws-high'`,
    );
    expect(await outbox()).toEqual([{ key: `escalate-${alert.id}-0`, relayed: false }]);
    expect(await alertsQueue.getJob(`escalate-${alert.id}-0`)).toBeUndefined();

    // The next worker relays the escalation and dies before marking it relayed.
    const relaying = await startWorker('crash-after-relay-enqueue');
    await killedItself(relaying);
    expect(await outbox()).toEqual([{ key: `escalate-${alert.id}-0`, relayed: false }]);
    expect(await alertsQueue.getJob(`escalate-${alert.id}-0`)).toBeDefined();

    // The escalation job may have been taken when the relay died: it stalls, and runs again when
    // BullMQ's stalled-job check (every 30 s, in two rounds) finds its lock expired.
    await startWorker();
    await eventually(() => expect(receiver.accepted('/crew')).toHaveLength(1), { timeoutMs: 150_000, intervalMs: 500 });
    // Everything had its chance to tell the crew again: the outbox is relayed, the interrupted
    // transition ran again once its lock expired (and found itself applied), the deliveries are done.
    await eventually(async () => expect(await opening.getState()).toBe('completed'), { timeoutMs: 150_000, intervalMs: 500 });
    await eventually(async () => expect((await outbox()).every((row) => row.relayed)).toBe(true));
    await eventually(async () => expect(await notificationsQueue.getCompletedCount()).toBe(1));
    expect((await alertsQueue.getJob(opening.id!))?.returnvalue).toEqual({ alertId: null });
    const [after] = await testDb.db.query<{ repeats: number }>('select repeats from alerts where id = $1', [alert.id]);
    expect(after.repeats).toBe(0);
    expect(receiver.accepted('/crew')).toHaveLength(1);
    expect(receiver.received).toHaveLength(1);
    expect(await testDb.db.query('select 1 from notifications where alert_id = $1', [alert.id])).toHaveLength(1);
  }, 360_000);

  it('fails a job whose payload does not fit for good, at its first attempt, and logs its id', async () => {
    const [worker] = workers.slice(-1);
    const poison = await notificationsQueue.add('notifications.deliver', { notificationId: 42 }, { attempts: 5 });
    await eventually(async () => expect(await poison.getState()).toBe('failed'));
    const failed = await notificationsQueue.getJob(poison.id!);
    expect(failed?.attemptsMade).toBe(1);
    expect(failed?.failedReason).toContain('invalid payload');
    await eventually(() => expect(worker.output.join('')).toMatch(new RegExp(`job ${poison.id} on notifications failed for good`)));
  });
});
