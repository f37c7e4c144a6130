import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { StandaloneModule } from '@hallwatch/standalone';
import { createServerDatabase, dropServerDatabase, eventually, isolatedEnv, RunningApp, startApp, testSite } from '@hallwatch/testing';

/**
 * A utility's 15-minute interval export for one day of the 2015 baseline year and a BMS export of
 * chilled-water temperatures, loaded with the back-fill command through the real broker.
 */
const SITE = 'backfill-hall';
const ROOT = join(__dirname, '../..');
const DAY = Date.parse('2015-03-02T00:00:00+08:00');
const QUARTER = 15 * 60_000;
const iso = (ts: number) => new Date(ts + 8 * 3_600_000).toISOString().replace('Z', '+08:00').replace('.000', '');

describe('CSV back-fill through the broker', () => {
  let databaseUrl: string;
  let env: Record<string, string>;
  let running: RunningApp;
  const folder = mkdtempSync(join(tmpdir(), 'hallwatch-backfill-'));
  const get = async <T>(path: string) =>
    (await (await fetch(`${running.baseUrl}${path}`, { headers: { authorization: `Bearer ${env.HALLWATCH_API_TOKEN}` } })).json()) as T;
  const backfill = (...args: string[]) =>
    promisify(execFile)(process.execPath, [
      join(ROOT, 'dist/apps/ingest/src/backfill-cli.js'),
      '--mqtt-url',
      env.MQTT_URL,
      '--topic-prefix',
      env.MQTT_TOPIC_PREFIX,
      '--site',
      SITE,
      ...args,
    ]).then(
      (result) => ({ code: 0, ...result }),
      (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
    );

  beforeAll(async () => {
    databaseUrl = await createServerDatabase();
    const site = testSite(SITE);
    // a utility's 15-minute amounts, kept as amounts (docs/rollups.md, "Interval points")
    site.assets[0].points.push({ key: 'kWh-15m', kind: 'interval', unit: 'kWh', tags: [], attributes: { intervalSeconds: 900 } });
    env = isolatedEnv([site], { DATABASE_URL: databaseUrl });
    running = await startApp(StandaloneModule, env);
  });

  afterAll(async () => {
    await running?.close();
    await dropServerDatabase(databaseUrl);
  });

  it('turns interval amounts into a register whose daily consumption is their sum, in any row order', async () => {
    const amounts = Array.from({ length: 96 }, (_, i) => 100 + (i % 4) * 10);
    const rows = amounts.map((kWh, i) => `main-incomer,kWh,${iso(DAY + i * QUARTER)},${iso(DAY + (i + 1) * QUARTER)},${kWh}`);
    const file = join(folder, 'taipower-2015-03-02.csv');
    writeFileSync(file, ['asset,point,start,end,value', ...rows.reverse()].join('\n'));

    // Checked end to end: the ledger counted them and each one is found stored.
    const result = await backfill(
      '--file',
      file,
      '--register-start',
      '812345.5',
      '--api-url',
      running.baseUrl,
      '--token',
      env.HALLWATCH_API_TOKEN,
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('intervals: 97 readings');
    expect(result.stdout).toContain('checked: all 97 readings sent are stored');
    const total = amounts.reduce((sum, value) => sum + value, 0);
    const readings = (bucket: string) =>
      get<{ readings: Array<{ consumption: number }> }>(
        `/api/v1/sites/${SITE}/assets/main-incomer/points/kWh/readings?bucket=${bucket}&from=${DAY}&to=${DAY + 86_400_000}`,
      ).then((body) => body.readings.map((row) => row.consumption));
    await eventually(async () => expect(await readings('1d')).toEqual([total]));
    expect(await readings('15m')).toEqual(amounts);
  });

  it('keeps the amounts of an interval point as amounts: a missing day stays missing, never a 0 kWh day', async () => {
    // 2015-03-02 and 2015-03-04 (Taipei) complete at 5 kWh a quarter; 2015-03-03 missing from the export
    const rows: string[] = [];
    for (const day of [DAY, DAY + 2 * 86_400_000]) {
      for (let i = 0; i < 96; i++) rows.push(`main-incomer,kWh-15m,${iso(day + i * QUARTER)},${iso(day + (i + 1) * QUARTER)},5`);
    }
    const file = join(folder, 'taipower-with-a-missing-day.csv');
    writeFileSync(file, ['asset,point,start,end,value', ...rows].join('\n'));

    // The registry, through the API, says kWh-15m is an interval point: 192 amounts, no register built.
    const result = await backfill('--file', file, '--api-url', running.baseUrl, '--token', env.HALLWATCH_API_TOKEN);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('intervals: 192 readings');
    expect(result.stdout).toContain('checked: all 192 readings sent are stored');
    const days = () =>
      get<{ readings: Array<{ ts: number | string; consumption: number }> }>(
        `/api/v1/sites/${SITE}/assets/main-incomer/points/kWh-15m/readings?bucket=1d&from=${DAY}&to=${DAY + 3 * 86_400_000}`,
      ).then((body) => body.readings.map((row) => [new Date(row.ts).getTime(), row.consumption]));
    // 96 x 5 = 480 kWh each; March 3 has no row at all
    await eventually(async () =>
      expect(await days()).toEqual([
        [DAY, 480],
        [DAY + 2 * 86_400_000, 480],
      ]),
    );
  });

  it('sends the good readings of a file, and lists the rows it refused with their line and reason', async () => {
    const file = join(folder, 'bms-chws.csv');
    writeFileSync(
      file,
      [
        'asset,point,ts,value',
        `chiller-1,chwsT,${iso(DAY + 8 * 3_600_000)},7.1`,
        `chiller-1,chwsT,${iso(DAY + 9 * 3_600_000)},seven`,
        `chiller-1,chwsT,2015/03/02 10:00,7.4`,
        `chiller-1,chwsT,${iso(DAY + 11 * 3_600_000)},7.6`,
      ].join('\n'),
    );
    const result = await backfill('--file', file);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('2 row(s) not sent');
    expect(readFileSync(`${file}.problems.csv`, 'utf8').split('\n')).toEqual([
      'line,problem',
      '3,"value ""seven"" is not a number"',
      '4,"ts ""2015/03/02 10:00"" is not ISO 8601 with an offset, nor epoch ms"',
      '',
    ]);
    await eventually(async () => {
      const body = await get<{ readings: Array<{ value: number }> }>(
        `/api/v1/sites/${SITE}/assets/chiller-1/points/chwsT/readings?bucket=raw&from=${DAY}&to=${DAY + 86_400_000}`,
      );
      expect(body.readings.map((reading) => reading.value)).toEqual([7.1, 7.6]);
    });
  });
});
