import { Logger } from '@nestjs/common';
import { connectAsync } from 'mqtt';
import { StandaloneModule } from '@hallwatch/standalone';
import { eventually, isolatedEnv, RunningApp, startApp, startMosquitto, TestBroker, testSite } from '@hallwatch/testing';

const SITE = 'session-hall';

/**
 * A broker restarted without persistence forgets ingest's persistent session: whatever was
 * published while ingest was away is gone. That loss used to be silent; now it is logged and counted.
 */
describe('a persistent MQTT session lost across a broker restart', () => {
  let broker: TestBroker;
  let env: Record<string, string>;
  let running: RunningApp;
  const warnings = jest.spyOn(Logger.prototype, 'warn');

  const api = (path: string) => fetch(`${running.baseUrl}${path}`, { headers: { authorization: `Bearer ${env.HALLWATCH_API_TOKEN}` } });
  const stored = async (ts: number) => {
    const response = await api(`/api/v1/sites/${SITE}/assets/main-incomer/points/kW/readings?from=${ts - 1}&to=${ts + 1}`);
    return ((await response.json()) as { readings: Array<{ value: number }> }).readings.map((reading) => reading.value);
  };
  const publish = async (ts: number, kW: number) => {
    const device = await connectAsync(broker.url, { clientId: `${env.MQTT_CLIENT_ID}-device-${kW}` });
    await device.publishAsync(`${env.MQTT_TOPIC_PREFIX}/${SITE}/main-incomer`, JSON.stringify({ ts, values: { kW } }), { qos: 1 });
    await device.endAsync();
  };
  const sessionsLost = async () => {
    const text = await (await api('/metrics')).text();
    const line = text.split('\n').find((entry) => entry.startsWith(`hallwatch_mqtt_sessions_lost_total{client="${env.MQTT_CLIENT_ID}"}`));
    return line ? Number(line.split(' ').at(-1)) : 0;
  };

  beforeAll(async () => {
    broker = await startMosquitto({ persistence: false });
    env = isolatedEnv([testSite(SITE)], { DATABASE_EMBEDDED_STORAGE: 'memory', MQTT_URL: broker.url, MQTT_EMBEDDED_BROKER: 'off' });
    running = await startApp(StandaloneModule, env);
  }, 60_000);

  afterAll(async () => {
    await running?.close();
    await broker?.stop();
    warnings.mockRestore();
  });

  it('logs the lost session and counts it in hallwatch_mqtt_sessions_lost_total, then goes on', async () => {
    const before = Date.now() - 60_000;
    await publish(before, 1);
    await eventually(async () => expect(await stored(before)).toEqual([1]));
    expect(await sessionsLost()).toBe(0);

    await broker.stop();
    broker = await startMosquitto({ port: broker.port, persistence: false });

    await eventually(async () => expect(await sessionsLost()).toBe(1), { timeoutMs: 30_000 });
    expect(warnings).toHaveBeenCalledWith(
      expect.objectContaining({ clientId: env.MQTT_CLIENT_ID }),
      expect.stringContaining('MQTT session lost'),
    );
    // Subscribed again on its own: the next reading is stored.
    const after = Date.now() - 30_000;
    await publish(after, 2);
    await eventually(async () => expect(await stored(after)).toEqual([2]), { timeoutMs: 30_000 });
  });

  it('says so also when ingest itself restarts and finds its session gone, and not when the broker kept it', async () => {
    // Ingest restarts, the broker keeps the session: nothing lost.
    await running.close();
    running = await startApp(StandaloneModule, env);
    const kept = Date.now() - 20_000;
    await publish(kept, 3);
    await eventually(async () => expect(await stored(kept)).toEqual([3]), { timeoutMs: 30_000 });
    expect(await sessionsLost()).toBe(0);

    // Both restart (a host reboot), the broker without persistence: the new process knows it had a session.
    await running.close();
    await broker.stop();
    broker = await startMosquitto({ port: broker.port, persistence: false });
    running = await startApp(StandaloneModule, env);
    expect(await sessionsLost()).toBe(1);
  });
});
