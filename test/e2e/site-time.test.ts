import { connectAsync, MqttClient } from 'mqtt';
import { AlertEvaluator } from '@hallwatch/alerts';
import { wallClock } from '@hallwatch/domain';
import { SiteDefinition } from '@hallwatch/registry';
import { StandaloneModule } from '@hallwatch/standalone';
import { eventually, isolatedEnv, RunningApp, startApp, TEST_MQTT_URL } from '@hallwatch/testing';

/**
 * Each site's days, months, schedules and tariff hours are its own, in its IANA time zone. Two
 * halls with the same building clock: one in New York (daylight saving: 23- and 25-hour days), one
 * in Taipei. Their main meters are read every hour on the hour; the load is 10 kWh an hour at night
 * and 30 kWh an hour in office hours (08:00-18:00 on the site's clock), every day; in 2024 (the
 * baseline year) 20% more (12 and 36). Every expected number below is worked out by hand.
 */
const HOUR = 3_600_000;
const MINUTE = 60_000;
const at = Date.parse;
/** An instant as the API answers it: ISO 8601 in UTC. */
const iso = (text: string) => new Date(at(text)).toISOString();

const hall = (key: string, timezone: string): SiteDefinition => ({
  key,
  name: key,
  timezone,
  attributes: { contractCapacityKw: 100, baselineYear: 2024 },
  opcua: [],
  assets: [
    {
      key: 'main-incomer',
      name: 'Main incomer',
      type: 'electricity-meter',
      tags: [],
      attributes: { role: 'main' },
      points: [
        { key: 'kWh', kind: 'cumulative', unit: 'kWh', tags: [], attributes: {} },
        { key: 'kW', kind: 'gauge', unit: 'kW', tags: [], attributes: {} },
      ],
    },
  ],
});
/** kWh an hour at night and in office hours. */
const LOAD = [10, 30] as const;
const BASELINE = [12, 36] as const;
const NEW_YORK = hall('ny-hall', 'America/New_York');
const TAIPEI = hall('taipei-hall', 'Asia/Taipei');

/** Hourly register readings from `from` to `to` (instants on the hour), the hour's energy by its hour on the site's clock. */
function registerReads(site: SiteDefinition, from: number, to: number, [night, office]: readonly [number, number], start: number) {
  const reads: Array<{ ts: number; values: { kWh: number } }> = [];
  let kWh = start;
  for (let ts = from; ts <= to; ts += HOUR) {
    reads.push({ ts, values: { kWh } });
    const { hour } = wallClock(ts, site.timezone);
    kWh += hour >= 8 && hour < 18 ? office : night;
  }
  return reads;
}

describe("a site's own time zone through the API", () => {
  let env: Record<string, string>;
  let running: RunningApp;
  let device: MqttClient;
  const get = async <T>(path: string): Promise<T> => {
    const response = await fetch(`${running.baseUrl}/api/v1${path}`, { headers: { authorization: `Bearer ${env.HALLWATCH_API_TOKEN}` } });
    expect(response.status).toBe(200);
    return (await response.json()) as T;
  };
  const call = (method: string, path: string, body?: unknown) =>
    fetch(`${running.baseUrl}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${env.HALLWATCH_API_TOKEN}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const publish = (site: SiteDefinition, payload: unknown) =>
    device.publishAsync(`${env.MQTT_TOPIC_PREFIX}/${site.key}/main-incomer`, JSON.stringify(payload), { qos: 1 });
  type Consumption = { timezone: string; total: number; rows: Array<{ ts: string; value: number }> };

  beforeAll(async () => {
    // Raw readings of 2024 are kept (the default retention would refuse readings that old).
    env = isolatedEnv([NEW_YORK, TAIPEI], { DATABASE_EMBEDDED_STORAGE: 'memory', RETENTION_RAW_DAYS: '36500' });
    running = await startApp(StandaloneModule, env);
    device = await connectAsync(TEST_MQTT_URL, { clientId: `${env.MQTT_CLIENT_ID}-device` });
    const spans = {
      [NEW_YORK.key]: [
        ['2024-03-07T00:00:00-05:00', '2024-03-12T00:00:00-04:00', BASELINE],
        ['2025-03-07T00:00:00-05:00', '2025-03-12T00:00:00-04:00', LOAD],
        ['2025-10-31T00:00:00-04:00', '2025-11-05T00:00:00-05:00', LOAD],
      ],
      [TAIPEI.key]: [
        ['2024-03-07T00:00:00+08:00', '2024-03-12T00:00:00+08:00', BASELINE],
        ['2025-03-07T00:00:00+08:00', '2025-03-12T00:00:00+08:00', LOAD],
      ],
    } as const;
    for (const site of [NEW_YORK, TAIPEI]) {
      let register = 100_000;
      for (const [from, to, load] of spans[site.key]) {
        const reads = registerReads(site, at(from), at(to), load, register);
        register = reads.at(-1)!.values.kWh + 1000;
        await publish(site, reads);
      }
    }
    // The main meter's power on the morning of the 23-hour day, every 5 minutes: 30 kW, 60 kW from 10:15.
    const morning = at('2025-03-09T09:00:00-04:00');
    await publish(
      NEW_YORK,
      Array.from({ length: 37 }, (_, i) => ({ ts: morning + i * 5 * MINUTE, values: { kW: i >= 15 ? 60 : 30 } })),
    );
    await eventually(
      async () => {
        const totals = await Promise.all(
          [
            `${NEW_YORK.key}/consumption?utility=electricity&bucket=1d&from=2024-03-08&to=2024-03-11`,
            `${NEW_YORK.key}/consumption?utility=electricity&bucket=1d&from=2025-03-08&to=2025-03-11`,
            `${NEW_YORK.key}/consumption?utility=electricity&bucket=1d&from=2025-11-01&to=2025-11-04`,
            `${TAIPEI.key}/consumption?utility=electricity&bucket=1d&from=2024-03-08&to=2024-03-11`,
            `${TAIPEI.key}/consumption?utility=electricity&bucket=1d&from=2025-03-08&to=2025-03-11`,
          ].map(async (path) => (await get<Consumption>(`/sites/${path}`)).total),
        );
        expect(totals).toEqual([1572, 1310, 1330, 1584, 1320]);
      },
      { timeoutMs: 60_000 },
    );
  }, 120_000);

  afterAll(async () => {
    await device?.endAsync();
    await running?.close();
  });

  it('serves the time zone of each site', async () => {
    expect((await get<{ timezone: string }>(`/sites/${NEW_YORK.key}`)).timezone).toBe('America/New_York');
    expect((await get<{ timezone: string }>(`/sites/${TAIPEI.key}`)).timezone).toBe('Asia/Taipei');
  });

  it('gives New York days at its midnights: 24, 23 (spring forward) and 24 hours, and 24, 25 (fall back), 24', async () => {
    // Saturday 8 March: 14 night hours × 10 + 10 office hours × 30 = 440; Sunday 9 March has no 02:00: 13 × 10 + 300 = 430.
    const march = await get<Consumption>(`/sites/${NEW_YORK.key}/consumption?utility=electricity&bucket=1d&from=2025-03-08&to=2025-03-11`);
    expect(march.timezone).toBe('America/New_York');
    expect(march.rows.map((row) => [new Date(row.ts).toISOString(), row.value])).toEqual([
      ['2025-03-08T05:00:00.000Z', 440],
      ['2025-03-09T05:00:00.000Z', 430],
      ['2025-03-10T04:00:00.000Z', 440],
    ]);
    expect(march.total).toBe(1310);
    // Sunday 2 November has 01:00 twice: 15 × 10 + 300 = 450.
    const november = await get<Consumption>(
      `/sites/${NEW_YORK.key}/consumption?utility=electricity&bucket=1d&from=2025-11-01&to=2025-11-04`,
    );
    expect(november.rows.map((row) => [new Date(row.ts).toISOString(), row.value])).toEqual([
      ['2025-11-01T04:00:00.000Z', 440],
      ['2025-11-02T04:00:00.000Z', 450],
      ['2025-11-03T05:00:00.000Z', 440],
    ]);
    const hours = await get<Consumption>(`/sites/${NEW_YORK.key}/consumption?utility=electricity&bucket=1h&from=2025-03-09&to=2025-03-10`);
    expect(hours.rows).toHaveLength(23);
    const longDay = await get<Consumption>(
      `/sites/${NEW_YORK.key}/consumption?utility=electricity&bucket=1h&from=2025-11-02&to=2025-11-03`,
    );
    expect(longDay.rows).toHaveLength(25);
  });

  it('gives Taipei days at its midnights, and reads a local date-time on the site clock', async () => {
    const days = await get<Consumption>(`/sites/${TAIPEI.key}/consumption?utility=electricity&bucket=1d&from=2025-03-08&to=2025-03-11`);
    expect(days.rows.map((row) => [new Date(row.ts).toISOString(), row.value])).toEqual([
      ['2025-03-07T16:00:00.000Z', 440],
      ['2025-03-08T16:00:00.000Z', 440],
      ['2025-03-09T16:00:00.000Z', 440],
    ]);
    // Office hours in each hall's own morning: 08:00-10:00 on its clock is 2 × 30 kWh.
    for (const site of [NEW_YORK, TAIPEI]) {
      const morning = await get<Consumption>(
        `/sites/${site.key}/consumption?utility=electricity&bucket=1h&from=2025-03-10T08:00&to=2025-03-10T10:00`,
      );
      expect(morning.total).toBe(60);
    }
    const readings = await get<{ readings: Array<{ ts: string }> }>(
      `/sites/${NEW_YORK.key}/assets/main-incomer/points/kWh/readings?bucket=1d&from=2025-03-09&to=2025-03-10`,
    );
    expect(readings.readings.map((row) => new Date(row.ts).toISOString())).toEqual(['2025-03-09T05:00:00.000Z']);
    expect((await call('GET', `/sites/${NEW_YORK.key}/consumption?utility=electricity&from=2025-02-30`)).status).toBe(400);
    expect((await call('GET', `/sites/${NEW_YORK.key}/consumption?utility=electricity&from=2025-03-10&to=2025-03-09`)).status).toBe(400);
  });

  it('reports savings over the spring-forward days on the site calendar, with its tariff hours', async () => {
    type Report = {
      period: { days: number; daysWithData: number };
      totals: { current: number; baseline: number; difference: number };
      cost: { maxDemandKw: { current: number }; bills: { current: Bill[]; baseline: Bill[] } };
    };
    type Bill = { month: string; energyKwh: number; byPeriod: Record<string, { kWh: number }> };
    const kWh = (bill: Bill) => Object.fromEntries(Object.entries(bill.byPeriod).map(([period, value]) => [period, value.kWh]));
    const report = await get<Report>(`/reports/savings?site=${NEW_YORK.key}&from=2025-03-08&to=2025-03-11&baselineYear=2024`);
    // 440 + 430 + 440 against the baseline year's same dates, Friday 8 to Sunday 10 March 2024 (its own 23-hour day):
    // (14 × 12 + 10 × 36) × 2 + (13 × 12 + 360) = 528 + 528 + 516 = 1,572.
    expect(report.period).toMatchObject({ days: 3, daysWithData: 3 });
    expect(report.totals).toMatchObject({ current: 1310, baseline: 1572, difference: -262 });
    // The 2015-shaped table in force before October 2025, non-summer: 07:30-22:30 semi-peak (Saturday semi-peak on
    // Saturdays), Sundays off-peak. Hours are stamped at their start on New York's clock: 08:00-22:00 is 15 hours,
    // 10 of them office (300) and 5 at night (50); the other 9 hours are off-peak (90).
    expect(report.cost.bills.current.map((bill) => [bill.month, kWh(bill)])).toEqual([
      ['2025-03', { peak: 0, 'semi-peak': 350, 'off-peak': 90 + 430 + 90, 'saturday-semi-peak': 350 }],
    ]);
    expect(report.cost.bills.baseline.map((bill) => [bill.month, kWh(bill)])).toEqual([
      ['2024-03', { peak: 0, 'semi-peak': 420, 'off-peak': 108 + 108 + 516, 'saturday-semi-peak': 420 }],
    ]);
    // 30 kWh an hour in office hours is 7.5 kWh a quarter: 30 kW.
    expect(report.cost.maxDemandKw.current).toBe(30);

    const taipei = await get<Report>(`/reports/savings?site=${TAIPEI.key}&from=2025-03-08&to=2025-03-11&baselineYear=2024`);
    expect(taipei.totals).toMatchObject({ current: 1320, baseline: 1584 });
  });

  it("gives today's energy against yesterday and the baseline weekday, and the running demand, in New York on its 23-hour day", async () => {
    type Overview = {
      timezone: string;
      energy: Record<'today' | 'yesterday' | 'baseline', { date: string; from: string; to: string; kWh: number; change?: number | null }>;
      demand: {
        contractCapacityKw: number;
        quarter: {
          from: string;
          to: string;
          kWh: number;
          kW: number;
          share: number;
          level: string;
          forecastKw: number;
          forecastLevel: string;
        };
        previousQuarter: { from: string; kW: number };
        peakToday: { from: string; kW: number };
        latestKw: { ts: string; kW: number };
      };
    };
    const whole = (quarters: number, firstData: string, lastData: string) => ({
      quarters,
      quartersWithData: quarters,
      share: 1,
      partial: false,
      firstData,
      lastData,
    });
    // 10:20 EDT on Sunday 9 March 2025, given on the site's clock.
    const overview = await get<Overview>(`/sites/${NEW_YORK.key}/overview?at=2025-03-09T10:20`);
    expect(overview.timezone).toBe('America/New_York');
    // Today from 00:00 EST: 00:00-02:00 and 03:00-08:00 at night (7 × 10), 08:00-10:00 (2 × 30), and 20 minutes of
    // the 10:00 hour (30 × 20/60 = 10): 140. Yesterday to 10:20 EST: 8 × 10 + 60 + 10 = 150. The baseline weekday
    // is Sunday 10 March 2024, New York's 23-hour day that year: the same hours at 1.2 times the load, 168.
    expect(overview.energy).toEqual({
      unit: 'kWh',
      today: {
        date: '2025-03-09',
        from: iso('2025-03-09T00:00:00-05:00'),
        to: iso('2025-03-09T10:20:00-04:00'),
        kWh: 140,
        estimatedKwh: 0,
        flags: 0,
        // Hourly reads, each step measured: every whole quarter hour up to 10:20 has data (9 h 15 min of the 23-hour day: 37).
        coverage: whole(37, iso('2025-03-09T00:00:00-05:00'), iso('2025-03-09T10:00:00-04:00')),
      },
      yesterday: {
        date: '2025-03-08',
        from: iso('2025-03-08T00:00:00-05:00'),
        to: iso('2025-03-08T10:20:00-05:00'),
        kWh: 150,
        estimatedKwh: 0,
        change: -10 / 150,
        coverage: whole(41, iso('2025-03-08T00:00:00-05:00'), iso('2025-03-08T10:00:00-05:00')),
        partial: false,
      },
      baseline: {
        date: '2024-03-10',
        year: 2024,
        from: iso('2024-03-10T00:00:00-05:00'),
        to: iso('2024-03-10T10:20:00-04:00'),
        kWh: 168,
        estimatedKwh: 0,
        change: -28 / 168,
        coverage: whole(37, iso('2024-03-10T00:00:00-05:00'), iso('2024-03-10T10:00:00-04:00')),
        partial: false,
      },
    });
    // The quarter 10:15-10:30 holds 7.5 kWh of the 10:00 hour; by 10:20, 2.5 kWh: 10 kW so far. At the present 60 kW
    // for the 10 minutes left: (2.5 + 10) × 4 = 50 kW. The quarter before, and today's peak: 7.5 × 4 = 30 kW, first at 08:00.
    expect(overview.demand).toEqual({
      contractCapacityKw: 100,
      quarter: {
        from: iso('2025-03-09T10:15:00-04:00'),
        to: iso('2025-03-09T10:30:00-04:00'),
        through: iso('2025-03-09T10:20:00-04:00'),
        kWh: 2.5,
        kW: 10,
        share: 0.1,
        level: 'normal',
        forecastKw: 50,
        forecastLevel: 'normal',
      },
      previousQuarter: { from: iso('2025-03-09T10:00:00-04:00'), kW: 30 },
      peakToday: { from: iso('2025-03-09T08:00:00-04:00'), kW: 30 },
      latestKw: { ts: iso('2025-03-09T10:20:00-04:00'), kW: 60 },
    });
  });

  it('gives Taipei its own day for the overview', async () => {
    const overview = await get<{ energy: Record<string, { date: string; from: string; kWh: number }> }>(
      `/sites/${TAIPEI.key}/overview?at=2025-03-09T10:20`,
    );
    // 8 × 10 + 2 × 30 + 10 = 150 today and yesterday; Sunday 10 March 2024 at 1.2 times: 180.
    expect(overview.energy.today).toMatchObject({ date: '2025-03-09', from: iso('2025-03-09T00:00:00+08:00'), kWh: 150 });
    expect(overview.energy.yesterday).toMatchObject({ date: '2025-03-08', kWh: 150 });
    expect(overview.energy.baseline).toMatchObject({ date: '2024-03-10', kWh: 180 });
  });

  it('opens an office-hours rule at 08:00 on the site clock, not at 08:00 in Taipei', async () => {
    const rule = {
      name: 'Load above 40 kW in office hours',
      severity: 'P3',
      target: 'main-incomer',
      condition: { type: 'threshold', point: { asset: 'main-incomer', point: 'kW' }, above: 40, forSeconds: 0, hysteresis: 0 },
      schedule: { preset: 'office-hours' },
    };
    // Rule ids are unique across sites.
    for (const site of [NEW_YORK, TAIPEI])
      expect((await call('PUT', `/sites/${site.key}/alert-rules/${site.key}-office-load`, rule)).status).toBe(200);
    await running.app.get(AlertEvaluator).reload();
    // Monday 10 March 2025, the first working day on daylight time in New York: 50 kW at 07:55 and at 08:05 EDT.
    // In Taipei these instants are 19:55 and 20:05: after hours.
    const readings = (zoneOffset: string) =>
      ['07:55', '08:05'].map((time) => ({ ts: at(`2025-03-10T${time}:00${zoneOffset}`), values: { kW: 50 } }));
    // (A rule takes each point's readings in time order: Taipei's own morning, 12 hours earlier, goes first.)
    // The same wall-clock times in Taipei open its rule at 08:05 Taipei time.
    await publish(TAIPEI, readings('+08:00'));
    await publish(TAIPEI, readings('-04:00'));
    await publish(NEW_YORK, readings('-04:00'));
    const opened = async (site: SiteDefinition) =>
      (await get<Array<{ ruleId: string; openedAt: string }>>(`/alerts?site=${site.key}`))
        .filter((alert) => alert.ruleId === `${site.key}-office-load`)
        .map((alert) => alert.openedAt);
    await eventually(async () => {
      expect(await opened(NEW_YORK)).toEqual([new Date('2025-03-10T08:05:00-04:00').toISOString()]);
      expect(await opened(TAIPEI)).toEqual([new Date('2025-03-10T08:05:00+08:00').toISOString()]);
    });
  });
});
