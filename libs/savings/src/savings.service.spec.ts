import { DomainError } from '@hallwatch/core';
import type { RegistryRepository } from '@hallwatch/registry';
import type { SavingsAnnotationsRepository } from './savings-annotations.repository';
import type { DailyUsage, SavingsDataRepository } from './savings-data.repository';
import { reportTables } from './report-tables';
import { dailySeries } from './savings-report.fixture';
import { savingsRequestSchema } from './savings-request';
import { SavingsService } from './savings.service';

interface FakeData {
  meter?: boolean;
  weather?: boolean;
  meterUnit?: string;
  weatherUnit?: string;
  usage?: DailyUsage[];
  temperatures?: Map<string, number>;
  /** Each date's 24 hourly temperatures, from 00:00 on the site's clock (Asia/Taipei). */
  hourlyTemperatures?: Map<string, number[]>;
}

/** The service over fakes: a site with or without a meter, a weather point and data. */
function service(fake: FakeData = {}) {
  const inRange = <T extends { date: string }>(rows: T[], from: Date, to: Date) => {
    const day = (d: Date) => new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
    return rows.filter((row) => row.date >= day(from) && row.date < day(to));
  };
  const data = {
    meterPoints: async () => (fake.meter === false ? [] : [{ asset: 'main-incomer', point: 'kWh', unit: fake.meterUnit ?? 'kWh' }]),
    outdoorTemperaturePoints: async () =>
      fake.weather === false ? [] : [{ asset: 'weather', point: 'outdoorT', unit: fake.weatherUnit ?? '°C' }],
    dailyUsage: async (_site: string, _utility: string, from: Date, to: Date) => inRange(fake.usage ?? [], from, to),
    hourlyOutdoorTemperature: async (_site: string, from: Date, to: Date) =>
      inRange(
        [...(fake.hourlyTemperatures ?? new Map<string, number[]>()).entries()].flatMap(([date, hours]) =>
          hours.map((temperatureC, hour) => ({ start: new Date(Date.parse(`${date}T00:00:00+08:00`) + hour * 3_600_000), date, temperatureC })),
        ),
        from,
        to,
      ),
    dailyOutdoorTemperature: async (_site: string, from: Date, to: Date) =>
      new Map(
        inRange(
          [...(fake.temperatures ?? new Map()).entries()].map(([date, t]) => ({ date, t })),
          from,
          to,
        ).map((r) => [r.date, r.t]),
      ),
  } as unknown as SavingsDataRepository;
  const annotations = {
    target: async () => null,
    adjustments: async () => [],
    measures: async () => [],
    emissionFactorOverrides: async () => ({}),
  } as unknown as SavingsAnnotationsRepository;
  const registry = {
    findSite: async (key: string) => (key === 'hall' ? { key: 'hall', name: 'Hall', timezone: 'Asia/Taipei', attributes: {} } : undefined),
  } as unknown as RegistryRepository;
  return new SavingsService(data, annotations, registry);
}

const request = (query: Record<string, string>) =>
  savingsRequestSchema.parse({ site: 'hall', from: '2017-07-01', to: '2018-01-01', baselineYear: '2015', ...query });

async function refusal(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  return { code: (error as DomainError).code, message: (error as DomainError).message };
}

describe('SavingsService refusals', () => {
  it('refuses dates that do not exist (#17 item 4)', () => {
    expect(savingsRequestSchema.safeParse({ site: 'hall', from: '2017-02-01', to: '2017-02-30', baselineYear: 2015 }).success).toBe(false);
  });

  it('refuses a same-period baseline of another length, but takes the same dates of a leap year (#17 item 4)', async () => {
    const unequal = request({ from: '2017-07-01', to: '2018-01-01', baselineFrom: '2015-07-01', baselineTo: '2015-08-14', lang: 'en' });
    // 2015-07-01 .. 2015-08-14: 44 days; 2017-07-01 .. 2018-01-01: 184 days.
    expect(await refusal(service().report(unequal))).toEqual({
      code: 'invalid-input',
      message:
        'the baseline (2015-07-01 to 2015-08-14, 44 days) and the period (2017-07-01 to 2018-01-01, 184 days) differ in length: a same-period comparison needs equal periods',
    });
    const zh = request({ baselineFrom: '2015-07-01', baselineTo: '2015-08-14' });
    expect((await refusal(service().report(zh))).message).toBe(
      '基期（2015-07-01 至 2015-08-14，44 天）與本期（2017-07-01 至 2018-01-01，184 天）長度不同，無法同期比較',
    );
    // 2016 has 366 days, 2017 365: the same dates of another year are the same period.
    const leap = request({ from: '2017-01-01', to: '2018-01-01', baselineFrom: '2016-01-01', baselineTo: '2017-01-01' });
    await expect(service().report(leap)).resolves.toMatchObject({ baseline: { from: '2016-01-01', to: '2017-01-01' } });
  });

  it('answers 4xx with the reason, in the report language, when the model cannot be fitted (#17 item 6)', async () => {
    const normalised = (lang: string, extra: Record<string, string> = {}) => request({ method: 'normalised', lang, ...extra });
    expect(await refusal(service({ meter: false }).report(normalised('zh-TW')))).toEqual({
      code: 'invalid-input',
      message: '場址 hall 沒有用電的主表，無法計算節能成效',
    });
    expect((await refusal(service({ meter: false }).report(normalised('en')))).message).toBe(
      'site hall has no main electricity meter to report on',
    );
    expect((await refusal(service({ weather: false }).report(normalised('zh-TW')))).message).toBe(
      '場址 hall 沒有外氣溫度點（標籤 outside 與 temp），無法建立氣候正規化模型；請改用同期比較 (method=same-period)',
    );
    // A baseline year (2015) without any data: 0 days to fit on.
    const reporting = dailySeries('2017-07-01', '2018-01-01', 900);
    const temperatures = new Map(reporting.map((day) => [day.date, 25]));
    expect((await refusal(service({ usage: reporting, temperatures }).report(normalised('zh-TW')))).message).toBe(
      '基期模型期間（104年）只有 0 天同時有用量與外氣溫度資料，無法建立日模型（約需一年）；請改用同期比較 (method=same-period)，或選擇有讀值與外氣溫度的基期',
    );
    expect((await refusal(service({ usage: reporting, temperatures }).report(normalised('en')))).message).toBe(
      "method=normalised: the model's baseline (2015) has 0 days with both use and outdoor temperature; a daily model needs about a year. Ask for method=same-period, or a baseline with readings and outdoor temperatures",
    );
  });

  it('refuses a point whose unit it cannot convert, by name (#17 item 7)', async () => {
    expect(await refusal(service({ meterUnit: 'BTU' }).report(request({ lang: 'en' })))).toEqual({
      code: 'invalid-input',
      message: 'cannot convert the unit of main-incomer/kWh (BTU) to kWh: the report refuses it',
    });
    expect((await refusal(service({ weatherUnit: '%RH' }).report(request({ method: 'normalised' })))).message).toBe(
      '無法將點 weather/outdoorT (%RH) 的單位換算為 °C，報表不採用',
    );
  });
});

/**
 * Which method a normalised report uses, and that it says so (#17 item 5). Baseline 2015: day i's
 * hours are 12 at m - 4 and 12 at m + 4 °C around a mean m = 16 + (i mod 13), and it uses
 * 1,000 + 50 x (hourly degree-days above 22 °C) kWh. 2017 H2: every day 12 hours at 22 and 12 at
 * 30 °C (mean 26), 4 hourly degree-days, so the model predicts 1,000 + 50 x 4 = 1,200 a day; it
 * uses 1,080: 184 days x 120 = 22,080 kWh avoided, 10.00 %.
 */
describe('SavingsService: the normalised method it uses, and says it used (#17 item 5)', () => {
  const baselineHours = (i: number) => [...Array(12).fill(16 + (i % 13) - 4), ...Array(12).fill(16 + (i % 13) + 4)] as number[];
  const hourlyDegreeDays = (hours: number[]) => hours.reduce((sum, t) => sum + Math.max(0, t - 22), 0) / 24;
  const hourlyTemperatures = new Map<string, number[]>();
  const baseline = dailySeries('2015-01-01', '2016-01-01', 0).map((day, i) => {
    hourlyTemperatures.set(day.date, baselineHours(i));
    return { ...day, usage: 1_000 + 50 * hourlyDegreeDays(baselineHours(i)) };
  });
  const reporting = dailySeries('2017-07-01', '2018-01-01', 1_080);
  for (const day of reporting) hourlyTemperatures.set(day.date, [...Array(12).fill(22), ...Array(12).fill(30)]);
  const temperatures = new Map([...hourlyTemperatures].map(([date, hours]) => [date, hours.reduce((a, b) => a + b, 0) / 24]));
  const usage = [...baseline, ...reporting];
  const normalised = (model?: string) => request({ method: 'normalised', lang: 'en', ...(model ? { model } : {}) });
  const degreeDaysRow = (report: Awaited<ReturnType<SavingsService['report']>>) =>
    reportTables(report).find((t) => t.key === 'model')!.rows.find((row) => row[0] === 'degree-days');

  it('computes degree-days from the hours when the weather station has them (degree-hours / 24)', async () => {
    const report = await service({ usage, temperatures, hourlyTemperatures }).report(normalised());
    expect(report.normalised!.model.degreeDays).toBe('hourly');
    expect(report.summaryMethod).toBe('normalised');
    expect(report.summary).toMatch(
      /^Weather-normalised \(IPMVP Option C, CalTRACK daily model, degree-days from hourly temperatures\): 2017 H2 used 198,720 kWh against 220,800 kWh .*: down 22,080 kWh, about 10\.00%/,
    );
    expect(degreeDaysRow(report)).toEqual(['degree-days', 'from hourly temperatures (degree-hours / 24)']);
  });

  it('keeps the CalTRACK daily method on daily means available (model=daily-mean), and names it', async () => {
    const report = await service({ usage, temperatures, hourlyTemperatures }).report(normalised('daily-mean'));
    expect(report.normalised!.model.degreeDays).toBe('daily-mean');
    expect(report.summary).toMatch(/^Weather-normalised \(IPMVP Option C, CalTRACK daily model\): 2017 H2 used 198,720 kWh against /);
    expect(degreeDaysRow(report)).toEqual(['degree-days', 'from daily mean temperatures']);
    // The daily means hide the hours above 22 °C on the baseline's days averaging below it: another prediction.
    expect(report.normalised!.adjustedBaseline).not.toBeCloseTo(220_800, 0);
  });

  it('falls back to daily means, and says so, when the weather station is not hourly', async () => {
    const report = await service({ usage, temperatures }).report(normalised('daily'));
    expect(report.normalised!.model.degreeDays).toBe('daily-mean');
    expect(report.summary).toMatch(/^Weather-normalised \(IPMVP Option C, CalTRACK daily model\): /);
  });
});
