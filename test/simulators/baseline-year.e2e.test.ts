import { join } from 'node:path';
import { loadRegistryFile } from '@hallwatch/registry';
import { startSimulator } from '@hallwatch/simulators';
import { StandaloneModule } from '@hallwatch/standalone';
import {
  createServerDatabase,
  dropServerDatabase,
  eventually,
  isolatedEnv,
  RunningApp,
  startApp,
  startMosquitto,
  TestBroker,
} from '@hallwatch/testing';

/**
 * The energy officer's case with the system running: the simulator back-fills the demo city hall's
 * 2024 baseline year and the first half of 2025 through Mosquitto (every 8 hours, which is enough
 * for daily registers), ingest stores it, and the savings report fits daily use to the weather.
 */
const REGISTRY = join(__dirname, '../../registry/demo-city-hall.yaml');
const SITE = 'demo-city-hall';

describe('a back-filled baseline and reporting year of the demo city hall', () => {
  let databaseUrl: string;
  let env: Record<string, string>;
  let running: RunningApp;
  let broker: TestBroker;
  const get = async <T>(path: string) =>
    (await (await fetch(`${running.baseUrl}${path}`, { headers: { authorization: `Bearer ${env.HALLWATCH_API_TOKEN}` } })).json()) as T;

  beforeAll(async () => {
    databaseUrl = await createServerDatabase();
    // A broker of the project's configuration (deploy/mosquitto): the machine's stock one drops a
    // subscriber's messages past 1,000 queued, which a back-fill reaches on a busy machine.
    broker = await startMosquitto({ persistence: false });
    env = isolatedEnv(loadRegistryFile(REGISTRY).sites, { DATABASE_URL: databaseUrl, MQTT_URL: broker.url });
    running = await startApp(StandaloneModule, env);
  });

  afterAll(async () => {
    await running?.close();
    await broker?.stop();
    await dropServerDatabase(databaseUrl);
  });

  it('gives daily consumption that follows the weather, as the normalised report finds', async () => {
    const simulator = await startSimulator({
      mqttUrl: env.MQTT_URL,
      registryPath: REGISTRY,
      seed: 104,
      tickMs: 8 * 3_600_000,
      topicPrefix: env.MQTT_TOPIC_PREFIX,
      from: new Date('2024-01-01T00:00:00+08:00'),
      to: new Date('2025-07-01T00:00:00+08:00'),
    });
    await simulator.done;
    await simulator.stop();
    const days = (from: string, to: string) =>
      get<{ rows: Array<{ ts: string; value: number }>; total: number }>(
        `/api/v1/sites/${SITE}/consumption?utility=electricity&bucket=1d&from=${Date.parse(`${from}T00:00:00+08:00`)}&to=${Date.parse(`${to}T00:00:00+08:00`)}`,
      );
    // Everything stored: the last day of June 2025 has its consumption.
    await eventually(async () => expect((await days('2025-06-30', '2025-07-01')).rows).toHaveLength(1), { timeoutMs: 300_000 });

    // Summer days use more than winter days (chillers), weekdays more than Sundays.
    const mean = (rows: Array<{ value: number }>) => rows.reduce((sum, row) => sum + row.value, 0) / rows.length;
    const july = await days('2024-07-01', '2024-08-01');
    const january = await days('2024-01-01', '2024-02-01');
    expect(july.rows.length).toBe(31);
    expect(mean(july.rows)).toBeGreaterThan(mean(january.rows) * 1.2);

    const report = await get<{
      normalised: { model: { kind: string; coolingSlope: number }; sufficiency: { baseline: { days: number } } } | null;
      summary: string;
    }>(
      `/api/v1/reports/savings?site=${SITE}&utility=electricity&method=normalised&from=2025-01-01&to=2025-07-01&baselineYear=2024&lang=en`,
    );
    expect(report.normalised).not.toBeNull();
    expect(report.normalised!.sufficiency.baseline.days).toBe(366);
    expect(report.normalised!.model.kind).toMatch(/cooling/);
    expect(report.normalised!.model.coolingSlope).toBeGreaterThan(0);
    expect(report.summary).toContain('2024');
  }, 600_000);
});
