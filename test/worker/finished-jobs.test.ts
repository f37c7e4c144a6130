import { getQueueToken } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import { AlertLifecycle, contactSchema, NotificationSettingsRepository, NotificationsRepository } from '@hallwatch/alerts';
import { FINISHED_JOBS, JobPayloads, QUEUES } from '@hallwatch/jobs';
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
 * Redis keeps finished jobs for a bounded age and count (#16 item 11), and nothing relies on them
 * for de-duplication: a job that runs again after Redis forgot it is refused by database keys.
 */
const SITE = 'finished-hall';

describe('finished jobs and durable de-duplication', () => {
  let testDb: TestDatabase;
  let running: RunningApp;
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
  const queue = (name: keyof typeof QUEUES) => running.app.get<Queue>(getQueueToken(QUEUES[name]));

  beforeAll(async () => {
    testDb = await createTestDatabase('postgres');
    receiver = await startWebhookReceiver();
    running = await startApp(WorkerModule, isolatedEnv([testSite(SITE)], { DATABASE_URL: testDb.url! }), { api: false });
  });

  afterAll(async () => {
    await obliterateQueues(running);
    await running?.close();
    await receiver?.close();
    await testDb?.drop();
  });

  it('keeps at most the bounded number of completed ticks, and schedules ticks with the bound', async () => {
    const alerts = queue('alerts');
    const [tick] = (await alerts.getJobSchedulers()).filter((scheduler) => scheduler.key === 'alerts-tick');
    expect(tick.template?.opts).toMatchObject(FINISHED_JOBS);

    const ticks = FINISHED_JOBS.removeOnComplete.count + 200;
    const data: JobPayloads['alerts.tick'] = { correlationId: 'many-ticks' };
    const added = await alerts.addBulk(Array.from({ length: ticks }, () => ({ name: 'alerts.tick', data })));
    const last = added[added.length - 1];
    await eventually(async () => expect(await last.getState()).toBe('completed'), { timeoutMs: 60_000 });
    expect(await alerts.getCompletedCount()).toBeLessThanOrEqual(FINISHED_JOBS.removeOnComplete.count);
  }, 90_000);

  it('tells a contact once when an escalation runs again after Redis forgot its first run', async () => {
    const settings = running.app.get(NotificationSettingsRepository);
    await settings.putContact('crew', contactSchema.parse({ name: 'crew', channel: 'webhook', address: `${receiver.url}/crew` }), 'test');
    await settings.putPolicy(SITE, { levels: [{ afterSeconds: 0, contacts: ['crew'] }], repeatSeconds: null, minSeverity: 'P4' }, 'test');
    const { alert } = await running.app.get(AlertLifecycle).open(
      {
        ruleId: 'dedupe',
        site: SITE,
        target: 'chiller-1',
        severity: 'P2',
        title: 'Duplicate test',
        detail: '',
        value: null,
        at: Date.now(),
      },
      'test',
    );
    await eventually(() => expect(receiver.accepted('/crew')).toHaveLength(1));

    // The same escalation under a job id Redis does not know (its first run was removed).
    const data: JobPayloads['alerts.escalate'] = { alertId: alert.id, level: 0 };
    const again = await queue('alerts').add('alerts.escalate', data, { jobId: `escalate-${alert.id}-0-again` });
    await eventually(async () => expect(await again.getState()).toBe('completed'));
    // Anything it had enqueued would have been relayed by now: the relay has emptied the outbox.
    await eventually(async () => expect(await testDb.db.query('select 1 from job_outbox where relayed_at is null')).toEqual([]));
    await eventually(async () => expect(await queue('notifications').getCompletedCount()).toBe(1));
    expect(receiver.accepted('/crew')).toHaveLength(1);
    expect(await running.app.get(NotificationsRepository).list({ alertId: alert.id })).toHaveLength(1);

    // The key itself: a second notification for the same alert, occasion and contact is refused.
    await expect(
      testDb.db.query(
        `insert into notifications (id, alert_id, contact_id, channel, reason, level, dedupe_key)
         values (gen_random_uuid(), $1, 'crew', 'webhook', 'opened', 0, $2)`,
        [alert.id, `alert-${alert.id}-escalate-0-crew`],
      ),
    ).rejects.toThrow(/notifications_dedupe/);
  });

  it('opens no second alert when an open transition runs again after its alert resolved and Redis forgot the first run', async () => {
    const transition: JobPayloads['alerts.transition'] = {
      ruleId: 'replayed',
      site: SITE,
      target: 'chiller-1',
      change: { kind: 'open', at: Date.now(), openedAt: Date.now(), value: 9.6, detail: 'chwsT 9.6 > 9' },
    };
    const alerts = queue('alerts');
    const first = await alerts.add('alerts.transition', transition, { jobId: 'replayed-open' });
    await eventually(async () => expect(await first.getState()).toBe('completed'));
    const { alertId } = (await alerts.getJob('replayed-open'))!.returnvalue as { alertId: number };
    await running.app.get(AlertLifecycle).resolve(alertId, 'crew', new Date(), 'fixed');

    const again = await alerts.add('alerts.transition', transition, { jobId: 'replayed-open-again' });
    await eventually(async () => expect(await again.getState()).toBe('completed'));
    expect((await alerts.getJob('replayed-open-again'))!.returnvalue).toEqual({ alertId: null });
    const stored = await testDb.db.query<{ state: string }>(`select state from alerts where rule_id = 'replayed'`);
    expect(stored).toEqual([{ state: 'resolved' }]);
  });
});
