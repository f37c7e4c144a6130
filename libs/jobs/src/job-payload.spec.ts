import { Job, UnrecoverableError } from 'bullmq';
import { takeJob } from './job-payload';
import { QueueName } from './jobs';

const job = (name: string, data: unknown) => ({ id: '42', name, data }) as unknown as Job;

describe('takeJob', () => {
  it.each<[string, QueueName, string, unknown]>([
    [
      'a transition',
      'alerts',
      'alerts.transition',
      { ruleId: 'r', site: 's', target: 't', change: { kind: 'open', at: 1, openedAt: 1, value: null, detail: '' } },
    ],
    ['an escalation', 'alerts', 'alerts.escalate', { alertId: 7, level: 0 }],
    ['a delivery', 'notifications', 'notifications.deliver', { notificationId: '6f1c2f61-2c7e-4a55-9b7f-5d6f3a4f8e21' }],
    ['a tuning run', 'housekeeping', 'alerts.tune', { correlationId: 'c' }],
    ['a controlled maintenance day', 'housekeeping', 'maintenance.plan', { correlationId: 'c', today: '2027-04-19' }],
  ])('takes %s with its payload typed', (_what, queue, name, data) => {
    expect(takeJob(job(name, data), queue)).toEqual({ name, data });
  });

  it.each<[string, QueueName, string, unknown, RegExp]>([
    ['a payload that is not an object', 'alerts', 'alerts.escalate', 'alert 7', /invalid payload/],
    ['a missing field', 'alerts', 'alerts.escalate', { alertId: 7 }, /level/],
    ['a field of the wrong type', 'alerts', 'alerts.repeat', { alertId: '7', round: 1 }, /alertId/],
    ['a notification id that is no uuid', 'notifications', 'notifications.deliver', { notificationId: 'abc' }, /notificationId/],
    ['a job of another queue', 'alerts', 'alerts.tune', { correlationId: 'c' }, /no handler for job alerts.tune on alerts/],
    ['a job nobody knows', 'reports', 'reports.burn', {}, /no handler/],
  ])('refuses %s for good', (_what, queue, name, data, reason) => {
    const taking = () => takeJob(job(name, data), queue);
    expect(taking).toThrow(UnrecoverableError);
    expect(taking).toThrow(reason);
  });
});
