import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectAsync } from 'mqtt';
import { io } from 'socket.io-client';
import type { LiveReadingMessage } from '@hallwatch/live';
import { AppProcess, eventually, freePort, startProcess, TEST_REDIS_URL } from '@hallwatch/testing';

/**
 * `npm start` as a new user runs it: the built standalone app on embedded defaults (TimescaleDB in
 * DATA_DIR, an embedded broker when none answers at MQTT_URL), no token configured, the simulator on.
 */
describe('standalone on embedded defaults', () => {
  let app: AppProcess;
  let baseUrl: string;
  let mqttUrl: string;
  let dataDir: string;
  let token: string;

  beforeAll(async () => {
    const port = await freePort();
    mqttUrl = `mqtt://127.0.0.1:${await freePort()}`;
    dataDir = mkdtempSync(join(tmpdir(), 'hallwatch-standalone-'));
    baseUrl = `http://127.0.0.1:${port}`;
    app = startProcess('standalone', {
      PORT: String(port),
      DATA_DIR: dataDir,
      MQTT_URL: mqttUrl,
      REDIS_URL: TEST_REDIS_URL,
      REDIS_PREFIX: `standalone-${port}`,
      SIMULATOR_SPEED: '60',
      // The demo's history has its own test (test/dashboard/first-start.browser.test.ts); here the simulator starts at once.
      DEMO_HISTORY: 'off',
      LOG_LEVEL: 'info',
    });
    await eventually(async () => expect((await fetch(`${baseUrl}/health`)).status).toBe(200), { timeoutMs: 60_000 });
    token = readFileSync(join(dataDir, 'admin-token'), 'utf8').trim();
  }, 90_000);

  afterAll(async () => {
    await app?.stop('SIGTERM');
  });

  it('starts its own broker, stores in the embedded TimescaleDB, and says so in health', async () => {
    const details = await fetch(`${baseUrl}/health/details`, { headers: { authorization: `Bearer ${token}` } });
    const health = (await details.json()) as { info: Record<string, Record<string, unknown>> };
    expect(health.info.database).toMatchObject({ status: 'up', backend: 'pglite', timescaledb: true });
    expect(health.info.mqtt).toMatchObject({ status: 'up' });
    expect(health.info.redis).toMatchObject({ status: 'up' });
    expect(app.output.join('')).toMatch(/started an embedded one \(aedes/);
  });

  it('shows the simulated demo city hall through REST within a minute', async () => {
    const readings = await eventually(
      async () => {
        const response = await fetch(`${baseUrl}/api/v1/sites/demo-city-hall/assets/main-incomer/points/kW/readings?bucket=raw`, {
          headers: { authorization: `Bearer ${token}` },
        });
        const body = (await response.json()) as { readings: Array<{ value: number }> };
        expect(body.readings.length).toBeGreaterThan(2);
        return body.readings;
      },
      { timeoutMs: 60_000 },
    );
    expect(readings.every((reading) => reading.value > 100)).toBe(true);
  });

  it('takes a reading from a plain MQTT client and pushes it to a socket.io client', async () => {
    const socket = io(`${baseUrl}/live`, { auth: { token }, transports: ['websocket'] });
    await new Promise<void>((resolve, reject) => socket.on('connect', resolve).on('connect_error', reject));
    const received: LiveReadingMessage[] = [];
    socket.on('readings', (batch: LiveReadingMessage[]) => received.push(...batch));
    await socket.emitWithAck('subscribe', { site: 'demo-city-hall' });

    const device = await connectAsync(mqttUrl);
    const ts = Date.now();
    await device.publishAsync('hallwatch/v1/demo-city-hall/weather', JSON.stringify({ ts, values: { outdoorT: 31.5 } }), { qos: 1 });
    await eventually(() =>
      expect(received).toContainEqual({
        site: 'demo-city-hall',
        asset: 'weather',
        point: 'outdoorT',
        ts: new Date(ts).toISOString(),
        value: 31.5,
      }),
    );
    await device.endAsync();
    socket.close();
  });
});
