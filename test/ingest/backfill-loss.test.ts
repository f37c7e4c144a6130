import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { StandaloneModule } from '@hallwatch/standalone';
import { isolatedEnv, RunningApp, startApp, startMosquitto, TestBroker, testSite } from '@hallwatch/testing';

/**
 * A back-fill through a broker that drops messages: a stock Mosquitto queues few messages for a
 * subscriber that is busy (here 1 in flight and 1 queued), and drops the rest silently while it
 * still acknowledges every publish. The tool must find the loss through the ledger and the stored
 * readings, print its count and time ranges, and exit 1.
 */
const SITE = 'lossy-hall';
const ROOT = join(__dirname, '../..');
const START = Date.parse('2025-03-01T00:00:00+08:00');
const MINUTE = 60_000;
/** 40 messages of 500 readings (the tool's batch): far more than the broker keeps for a busy ingest. */
const READINGS = 20_000;

describe('back-fill through a broker that drops messages', () => {
  let broker: TestBroker;
  let env: Record<string, string>;
  let running: RunningApp;
  const folder = mkdtempSync(join(tmpdir(), 'hallwatch-backfill-loss-'));
  const get = async <T>(path: string) =>
    (await (await fetch(`${running.baseUrl}${path}`, { headers: { authorization: `Bearer ${env.HALLWATCH_API_TOKEN}` } })).json()) as T;

  beforeAll(async () => {
    broker = await startMosquitto({ persistence: false, limits: { max_inflight_messages: 1, max_queued_messages: 1 } });
    env = isolatedEnv([testSite(SITE)], { DATABASE_EMBEDDED_STORAGE: 'memory', MQTT_URL: broker.url, MQTT_EMBEDDED_BROKER: 'off' });
    running = await startApp(StandaloneModule, env);
  }, 60_000);

  afterAll(async () => {
    await running?.close();
    await broker?.stop();
  });

  it('reports the readings that were not stored, with the right count and their time ranges, and exits 1', async () => {
    const file = join(folder, 'meter-history.csv');
    const rows = Array.from({ length: READINGS }, (_, i) => `main-incomer,kWh,${START + i * MINUTE},${1000 + i}`);
    writeFileSync(file, ['asset,point,ts,value', ...rows].join('\n'));

    const result = await promisify(execFile)(
      process.execPath,
      [
        join(ROOT, 'dist/apps/ingest/src/backfill-cli.js'),
        ...['--file', file, '--site', SITE, '--mqtt-url', broker.url, '--topic-prefix', env.MQTT_TOPIC_PREFIX],
        ...['--api-url', running.baseUrl, '--token', env.HALLWATCH_API_TOKEN, '--settle-seconds', '3'],
      ],
      { maxBuffer: 16 * 1024 * 1024 },
    ).then(
      (ok) => ({ code: 0, ...ok }),
      (error: { code: number; stdout: string; stderr: string }) => error,
    );

    // What is stored, counted apart from the tool: every reading of the point in the file's span.
    const stored = await get<{ truncated: boolean; readings: Array<{ ts: string }> }>(
      `/api/v1/sites/${SITE}/assets/main-incomer/points/kWh/readings?bucket=raw&limit=100000&from=${START}&to=${START + READINGS * MINUTE}`,
    );
    expect(stored.truncated).toBe(false);
    const lost = READINGS - stored.readings.length;
    expect(lost).toBeGreaterThan(0);

    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`readings: ${READINGS} readings in 40 messages published`);
    expect(result.stderr).toContain(`LOST ${lost} of ${READINGS} readings sent (not stored)`);
    // Each range is listed with its count; they add up to the loss, and none of them holds a stored reading.
    const ranges = [...result.stderr.matchAll(/lossy-hall\/main-incomer\/kWh (\S+) \.\. (\S+): (\d+)/g)].map(([, from, to, count]) => ({
      from: Date.parse(from),
      to: Date.parse(to),
      count: Number(count),
    }));
    expect(ranges.length).toBeGreaterThan(0);
    expect(ranges.reduce((sum, range) => sum + range.count, 0)).toBe(lost);
    const storedTs = stored.readings.map((reading) => Date.parse(reading.ts));
    for (const range of ranges) {
      expect(range.count).toBe((range.to - range.from) / MINUTE + 1);
      expect(storedTs.filter((ts) => ts >= range.from && ts <= range.to)).toEqual([]);
    }
  });
});
