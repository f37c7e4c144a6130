import { Job, Queue, QueueEvents } from 'bullmq';
import { connectAsync, MqttClient } from 'mqtt';
import { io, Socket } from 'socket.io-client';
import type { Alert, Notification } from '@hallwatch/alerts';
import { AppConfig } from '@hallwatch/config';
import { bullmqOptions, JOB_QUEUE, JobPayloads, QUEUES } from '@hallwatch/jobs';
import {
  AppProcess,
  createTestDatabase,
  eventually,
  freePort,
  isolatedEnv,
  startProcess,
  startSmtpSink,
  startWebhookReceiver,
  testSite,
  TestDatabase,
  validSignature,
} from '@hallwatch/testing';

/**
 * Alerts end to end, in separate ingest, api and worker processes on the real Mosquitto, Redis and
 * PostgreSQL: readings over MQTT → rules evaluated on ingest → BullMQ → alerts, notifications to a
 * local webhook receiver, escalation, and the worker killed while notifications are pending.
 */
const SITE = 'alert-hall';
const SECRET = 'crew-webhook-secret-0123456789';

type AlertWithHistory = Alert & { events: Array<{ action: string; actor: string }>; notifications: Notification[] };

describe('alerts end to end', () => {
  let testDb: TestDatabase;
  let env: Record<string, string>;
  const processes: Partial<Record<'ingest' | 'api' | 'worker', { env: Record<string, string>; process: AppProcess }>> = {};
  let apiUrl: string;
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
  let device: MqttClient;
  let socket: Socket;
  const liveAlerts: Alert[] = [];
  const feeds: NodeJS.Timeout[] = [];

  const start = async (app: 'ingest' | 'api' | 'worker', port?: number) => {
    const appEnv = { ...env, HALLWATCH_APP: app, PORT: String(port ?? (await freePort())) };
    processes[app] = { env: appEnv, process: startProcess(app, appEnv) };
    await eventually(async () => expect((await fetch(`http://127.0.0.1:${appEnv.PORT}/health`)).status).toBe(200), { timeoutMs: 30_000 });
  };
  const call = async <T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> => {
    const response = await fetch(`${apiUrl}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${env.HALLWATCH_API_TOKEN}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
  };
  const alertsOf = async (ruleId: string) =>
    (await call<Alert[]>('GET', `/alerts?site=${SITE}`)).body.filter((alert) => alert.ruleId === ruleId);
  const alertDetail = async (id: number) => (await call<AlertWithHistory>('GET', `/alerts/${id}`)).body;
  const publish = (asset: string, values: Record<string, number>, ts = Date.now()) =>
    device.publishAsync(`${env.MQTT_TOPIC_PREFIX}/${SITE}/${asset}`, JSON.stringify({ ts, values }), { qos: 1 });
  /** A meter that reports every second, with whatever value `current()` gives at the time. */
  const feed = (asset: string, point: string, current: () => number) => {
    const timer = setInterval(() => void publish(asset, { [point]: current() }), 1000);
    feeds.push(timer);
    return () => clearInterval(timer);
  };
  const hooksFor = (path: string, alertId: number, event?: string) =>
    receiver.accepted(path).filter((hook) => {
      const body = JSON.parse(hook.body) as { event: string; alert: Alert };
      return body.alert.id === alertId && (event === undefined || body.event === event);
    });
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  const putRule = async (id: string, rule: Record<string, unknown>) =>
    expect((await call('PUT', `/sites/${SITE}/alert-rules/${id}`, rule)).status).toBe(200);

  beforeAll(async () => {
    testDb = await createTestDatabase('postgres');
    receiver = await startWebhookReceiver();
    smtp = await startSmtpSink();
    env = isolatedEnv([testSite(SITE)], { DATABASE_URL: testDb.url!, ALERT_TICK_SECONDS: '1', SMTP_URL: smtp.url });
    await start('api');
    apiUrl = `http://127.0.0.1:${processes.api!.env.PORT}`;
    await start('ingest');
    await start('worker');

    for (const [id, path, secret] of [
      ['crew', '/crew', SECRET],
      ['supervisor', '/supervisor', null],
      ['flaky', '/flaky', null],
    ] as const) {
      const contact = { name: id, channel: 'webhook', address: `${receiver.url}${path}`, secret };
      expect((await call('PUT', `/alert-contacts/${id}`, contact)).status).toBe(200);
    }
    const policy = {
      levels: [
        { afterSeconds: 0, contacts: ['crew'] },
        { afterSeconds: 6, contacts: ['supervisor'] },
      ],
    };
    expect((await call('PUT', `/escalation-policies/${SITE}`, policy)).status).toBe(200);

    socket = io(`${apiUrl}/live`, { auth: { token: env.HALLWATCH_API_TOKEN }, transports: ['websocket'] });
    await new Promise<void>((resolve, reject) => socket.on('connect', resolve).on('connect_error', reject));
    socket.on('alert', (alert: Alert) => liveAlerts.push(alert));
    await socket.emitWithAck('subscribe', { site: SITE });
    device = await connectAsync(env.MQTT_URL, { clientId: `${env.MQTT_CLIENT_ID}-device` });
  }, 120_000);

  afterAll(async () => {
    feeds.forEach(clearInterval);
    socket?.close();
    await device?.endAsync();
    await Promise.all(Object.values(processes).map((running) => running?.process.stop('SIGKILL')));
    if (env) {
      const options = bullmqOptions(AppConfig.from(env));
      for (const name of Object.values(QUEUES)) {
        const queue = new Queue(name, options);
        await queue.obliterate({ force: true });
        await queue.close();
      }
    }
    await receiver?.close();
    await smtp?.close();
    await testDb?.drop();
  });

  it('refuses a rule that reads points the site does not have, with a clear error', async () => {
    const response = await call<{ detail: string }>('PUT', `/sites/${SITE}/alert-rules/bad`, {
      name: 'bad',
      target: 'chiller-1',
      condition: { type: 'threshold', point: { asset: 'chiller-1', point: 'nonsense' }, above: 1, forSeconds: 0 },
    });
    expect(response.status).toBe(400);
    expect(response.body.detail).toContain('chiller-1/nonsense');
  });

  it('opens exactly one alert after the duration, pushes it live, sends a signed webhook, and resolves when readings recover', async () => {
    await putRule('chws-high', {
      name: 'Chilled-water supply above 9 °C',
      severity: 'P2',
      target: 'chiller-1',
      condition: { type: 'threshold', point: { asset: 'chiller-1', point: 'chwsT' }, above: 9, forSeconds: 6, hysteresis: 0.5 },
    });
    let chwsT = 10.2;
    const breachStarted = Date.now();
    const stop = feed('chiller-1', 'chwsT', () => chwsT);

    // Not before the 6 s: the opening time below is the proof, whenever this check runs.
    const [opened] = await eventually(async () => {
      const alerts = await alertsOf('chws-high');
      expect(alerts).toHaveLength(1);
      return alerts;
    });
    expect(Date.parse(opened.openedAt) - breachStarted).toBeGreaterThanOrEqual(6000 - 1000);
    expect(opened).toMatchObject({ state: 'open', severity: 'P2', target: 'chiller-1', title: 'Chilled-water supply above 9 °C' });
    await eventually(() => expect(liveAlerts).toContainEqual(expect.objectContaining({ id: opened.id, state: 'open' })));
    const [hook] = await eventually(() => {
      const hooks = hooksFor('/crew', opened.id, 'alert.opened');
      expect(hooks).toHaveLength(1);
      return hooks;
    });
    expect(validSignature(hook, SECRET)).toBe(true);
    expect(validSignature({ ...hook, body: hook.body.replace('"open"', '"resolved"') }, SECRET)).toBe(false);

    // Someone is on it; the breach goes on: still one alert.
    expect((await call('POST', `/alerts/${opened.id}/ack`, { note: 'on my way' })).status).toBe(200);
    await sleep(2500);
    expect(await alertsOf('chws-high')).toHaveLength(1);

    chwsT = 7.8;
    const resolved = await eventually(
      async () => {
        const [alert] = await alertsOf('chws-high');
        expect(alert.state).toBe('resolved');
        return alert;
      },
      { timeoutMs: 20_000 },
    );
    stop();
    expect(resolved.resolvedBy).toBe('rule chws-high');
    await eventually(() => expect(liveAlerts).toContainEqual(expect.objectContaining({ id: opened.id, state: 'resolved' })));
    await eventually(() => expect(hooksFor('/crew', opened.id, 'alert.resolved')).toHaveLength(1));
    const history = await alertDetail(opened.id);
    expect(history.events.map((event) => event.action)).toEqual(expect.arrayContaining(['opened', 'acknowledged', 'resolved']));
    expect(history.events.find((event) => event.action === 'acknowledged')?.actor).toBe('HALLWATCH_API_TOKEN');
  }, 60_000);

  it('opens nothing for a signal flapping inside the hysteresis band', async () => {
    let high = false;
    const stop = feed('chiller-1', 'chwsT', () => {
      high = !high;
      return high ? 9.3 : 8.7;
    });
    await sleep(12_000);
    stop();
    const alerts = await alertsOf('chws-high');
    expect(alerts.filter((alert) => alert.state !== 'resolved')).toEqual([]);
    expect(alerts).toHaveLength(1);
  }, 30_000);

  it('escalates to the next contact after the delay when nobody acknowledges, and not after an acknowledgement', async () => {
    const above = (asset: string, point: string, limit: number) => ({
      type: 'threshold',
      point: { asset, point },
      above: limit,
      forSeconds: 0,
      hysteresis: 0,
    });
    await putRule('demand-high', { name: 'Demand above 900 kW', target: 'main-incomer', condition: above('main-incomer', 'kW', 900) });
    await putRule('chiller-on', {
      name: 'Chiller running out of hours',
      target: 'chiller-1',
      condition: above('chiller-1', 'running', 0.5),
    });
    await publish('main-incomer', { kW: 950 });
    await publish('chiller-1', { running: 1 });
    const [ignored] = await eventually(() => alertsOf('demand-high').then((alerts) => (expect(alerts).toHaveLength(1), alerts)));
    const [handled] = await eventually(() => alertsOf('chiller-on').then((alerts) => (expect(alerts).toHaveLength(1), alerts)));
    // The crew is told of both first; then one is acknowledged (acknowledging before the opening
    // notification went out raced it on a busy machine).
    await eventually(() => expect(hooksFor('/crew', ignored.id, 'alert.opened')).toHaveLength(1));
    await eventually(() => expect(hooksFor('/crew', handled.id, 'alert.opened')).toHaveLength(1));
    expect((await call('POST', `/alerts/${handled.id}/ack`, {})).status).toBe(200);
    await sleep(4000);
    expect(hooksFor('/supervisor', ignored.id)).toEqual([]);
    await eventually(() => expect(hooksFor('/supervisor', ignored.id, 'alert.escalated')).toHaveLength(1), { timeoutMs: 10_000 });
    expect(Date.now() - Date.parse(ignored.openedAt)).toBeGreaterThanOrEqual(6000);
    await eventually(async () => expect((await alertDetail(ignored.id)).events.map((event) => event.action)).toContain('escalated'));

    await sleep(3000);
    expect(hooksFor('/supervisor', handled.id)).toEqual([]);
    expect((await alertDetail(handled.id)).escalationLevel).toBe(0);
  }, 60_000);

  it('delivers every pending notification once after the worker is killed, and a receiver failing twice gets the third try', async () => {
    const policy = { levels: [{ afterSeconds: 0, contacts: ['crew', 'flaky'] }] };
    expect((await call('PUT', `/escalation-policies/${SITE}`, policy)).status).toBe(200);
    receiver.failFirst('/flaky', 2);
    await putRule('energy-register', {
      name: 'Register past 2,000,000 kWh',
      target: 'main-incomer',
      condition: { type: 'threshold', point: { asset: 'main-incomer', point: 'kWh' }, above: 2_000_000, forSeconds: 0, hysteresis: 0 },
    });
    await publish('main-incomer', { kWh: 2_000_100 });
    const [alert] = await eventually(() => alertsOf('energy-register').then((alerts) => (expect(alerts).toHaveLength(1), alerts)));
    await eventually(() => expect(receiver.received.filter((hook) => hook.path === '/flaky' && hook.status === 500)).toHaveLength(1));
    // The first delivery to the flaky receiver failed and waits for its retry: kill the worker now.
    await sleep(200);
    const port = Number(processes.worker!.env.PORT);
    await processes.worker!.process.stop('SIGKILL');

    // While it is down, the demand alert resolves: ingest queues the resolution, which waits in Redis.
    const [demand] = await alertsOf('demand-high');
    await publish('main-incomer', { kW: 400 });
    const alertJobs = new Queue(QUEUES.alerts, bullmqOptions(AppConfig.from(env)));
    try {
      await eventually(async () => {
        const jobs = (await alertJobs.getJobs(['waiting', 'prioritized', 'delayed'])) as Array<Job<JobPayloads['alerts.transition']>>;
        expect(jobs.filter((job) => job.data.ruleId === 'demand-high' && job.data.change.kind === 'resolve')).toHaveLength(1);
      });
    } finally {
      await alertJobs.close();
    }
    expect((await alertsOf('demand-high'))[0].state).toBe('open');

    await start('worker', port);
    await eventually(
      () => expect(receiver.accepted('/flaky').filter((hook) => JSON.parse(hook.body).alert.id === alert.id)).toHaveLength(1),
      {
        timeoutMs: 60_000,
      },
    );
    await eventually(async () => expect((await alertsOf('demand-high'))[0].state).toBe('resolved'), { timeoutMs: 30_000 });
    await eventually(() => expect(hooksFor('/crew', demand.id, 'alert.resolved')).toHaveLength(1), { timeoutMs: 30_000 });
    await eventually(() => expect(hooksFor('/supervisor', demand.id, 'alert.resolved')).toHaveLength(1), { timeoutMs: 30_000 });

    const flakyAttempts = receiver.received.filter((hook) => hook.path === '/flaky' && JSON.parse(hook.body).alert.id === alert.id);
    expect(flakyAttempts.map((hook) => hook.status)).toEqual([500, 500, 204]);
    await sleep(2000);
    const accepted = receiver.received
      .filter((hook) => hook.status < 300)
      .map((hook) => `${hook.path} ${String(hook.headers['x-hallwatch-delivery'])}`);
    expect(new Set(accepted).size).toBe(accepted.length);
    const notifications = (await alertDetail(alert.id)).notifications;
    expect(notifications.map((n) => [n.contactId, n.state, n.attempts]).sort()).toEqual([
      ['crew', 'delivered', 1],
      ['flaky', 'delivered', 3],
    ]);
    expect((await call<Notification[]>('GET', '/notifications?state=pending')).body).toEqual([]);
  }, 120_000);

  it('sends chat messages (Teams/Slack { text }) and e-mail', async () => {
    expect(
      (await call('PUT', '/alert-contacts/chat', { name: 'Ops channel', channel: 'chat', address: `${receiver.url}/chat` })).status,
    ).toBe(200);
    expect(
      (await call('PUT', '/alert-contacts/mail', { name: 'Crew mailbox', channel: 'email', address: 'crew@cityhall.example' })).status,
    ).toBe(200);
    expect((await call('PUT', `/escalation-policies/${SITE}`, { levels: [{ afterSeconds: 0, contacts: ['chat', 'mail'] }] })).status).toBe(
      200,
    );
    await publish('main-incomer', { kW: 980 });
    const alert = await eventually(async () => {
      const open = (await alertsOf('demand-high')).filter((candidate) => candidate.state === 'open');
      expect(open).toHaveLength(1);
      return open[0];
    });
    const chat = await eventually(() => {
      const messages = receiver.accepted('/chat').map((hook) => JSON.parse(hook.body) as { text: string });
      expect(messages).toHaveLength(1);
      return messages[0];
    });
    // In the contact's language: zh-TW unless the contact says otherwise.
    expect(chat.text).toContain('[P3] 發生 · Demand above 900 kW · alert-hall/main-incomer');
    expect(chat.text).toContain('Test city hall Main incomer：980 kW，高於 900 kW。');
    expect(chat.text).toContain(`警報 #${alert.id}`);
    const mail = await eventually(() => (expect(smtp.messages).toHaveLength(1), smtp.messages[0]));
    expect(mail.to).toEqual(['crew@cityhall.example']);
    expect(mail.raw.replace(/=\r?\n/g, '')).toContain('Demand above 900 kW');
  }, 30_000);

  it('makes a work item at the right date on a controlled clock, alerts when it is overdue, and resolves that when it is done', async () => {
    const task = {
      site: SITE,
      asset: 'chiller-1',
      name: 'Chiller quarterly inspection',
      recurrence: 'quarterly',
      anchor: '2027-01-15',
      graceDays: 3,
    };
    expect((await call('PUT', '/maintenance/tasks/chiller-1-quarterly', task)).status).toBe(200);
    const options = bullmqOptions(AppConfig.from(env));
    const queue = new Queue(JOB_QUEUE['maintenance.plan'], options);
    const planned = new QueueEvents(JOB_QUEUE['maintenance.plan'], options);
    await planned.waitUntilReady();
    /** Plans as of `today` and waits for the worker to finish that run: what it did not make, it will not make. */
    const planOn = async (today: string) => {
      const data: JobPayloads['maintenance.plan'] = { correlationId: 'test', today };
      const job = await queue.add('maintenance.plan', data);
      await job.waitUntilFinished(planned, 30_000);
    };
    const items = async () =>
      (await call<Array<{ id: number; dueOn: string; state: string }>>('GET', '/maintenance/work-items?taskId=chiller-1-quarterly')).body;
    try {
      await planOn('2027-04-01');
      expect(await items()).toEqual([]);
      await planOn('2027-04-08');
      const planned8th = await items();
      expect(planned8th).toEqual([expect.objectContaining({ dueOn: '2027-04-15', state: 'open' })]);
      const [item] = planned8th;
      await planOn('2027-04-18');
      expect(await alertsOf('maintenance:chiller-1-quarterly')).toEqual([]);

      await planOn('2027-04-19');
      const [overdue] = await eventually(() =>
        alertsOf('maintenance:chiller-1-quarterly').then((alerts) => (expect(alerts).toHaveLength(1), alerts)),
      );
      expect(overdue).toMatchObject({ state: 'open', target: `work-item-${item.id}` });
      expect(overdue.title).toContain('Chiller quarterly inspection');

      const done = await call<{ state: string; note: string }>('POST', `/maintenance/work-items/${item.id}/complete`, {
        note: 'condenser tubes brushed',
      });
      expect(done.body).toMatchObject({ state: 'done', note: 'condenser tubes brushed' });
      expect((await alertsOf('maintenance:chiller-1-quarterly'))[0].state).toBe('resolved');
    } finally {
      await planned.close();
      await queue.close();
    }
  }, 60_000);

  it('enables the city-hall starter pack for a site from its registry', async () => {
    const response = await call<{ added: number; rules: string[] }>('POST', `/sites/${SITE}/alert-rules/starter-pack`);
    expect(response.status).toBe(201);
    expect(response.body.rules).toContain(`starter.${SITE}.meter-offline.main-incomer`);
    const stored = (await call<Array<{ rule: { id: string }; origin: string }>>('GET', `/sites/${SITE}/alert-rules`)).body;
    expect(
      stored
        .filter((rule) => rule.origin === 'starter-pack')
        .map((rule) => rule.rule.id)
        .sort(),
    ).toEqual([...response.body.rules].sort());
  });
});
