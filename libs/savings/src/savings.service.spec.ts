import { DomainError } from '@hallwatch/core';
import type { RegistryRepository } from '@hallwatch/registry';
import type { SavingsAnnotationsRepository } from './savings-annotations.repository';
import type { DailyUsage, SavingsDataRepository } from './savings-data.repository';
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
    hourlyOutdoorTemperature: async () => [],
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
