import { addDays, daysBetween } from './report-period';
import { dailySeries, savingsInputs } from './savings-report.fixture';
import { reportTables } from './report-tables';
import { buildSavingsReport, SavingsInputs } from './savings-report';

/**
 * A model baseline from 2015-11-15 to 2016-11-15 (366 days, 2016 is a leap year) whose use is
 * exactly 1,000 + 50 x (T - 22)+ kWh a day, T cycling 16 .. 28 °C; the reporting period 2017 H2
 * (184 days) at 26 °C uses 10 % less than the model's 1,000 + 50 x 4 = 1,200: 1,080 a day.
 */
function normalisedInputs(
  overrides: Partial<SavingsInputs> = {},
  baselineUse = (t: number, _i: number) => 1_000 + 50 * Math.max(0, t - 22),
) {
  const model = { from: '2015-11-15', to: '2016-11-15' };
  const temperatures = new Map<string, number>();
  const days = Array.from({ length: daysBetween(model.from, model.to) }, (_, i) => {
    const date = addDays(model.from, i);
    const t = 16 + (i % 13);
    temperatures.set(date, t);
    return { date, usage: baselineUse(t, i), flags: 0, estimated: 0 };
  });
  const current = dailySeries('2017-07-01', '2018-01-01', 1_080);
  for (const day of current) temperatures.set(day.date, 26);
  return savingsInputs({
    method: 'normalised',
    lang: 'en',
    // what the service used to compare with: the same dates of 2015, of which the model's baseline holds 47 days
    baseline: { from: '2015-07-01', to: '2016-01-01' },
    previous: dailySeries('2015-11-15', '2016-01-01', 1_000),
    current,
    temperatures,
    modelBaseline: { period: model, days },
    ...overrides,
  });
}

describe('buildSavingsReport', () => {
  describe('periods without enough data (#17 item 4)', () => {
    it('states no change when the baseline has 44 of its 184 days', () => {
      // 2015-07-01 .. 08-13 is 44 days (31 in July, 13 in August).
      const report = buildSavingsReport(savingsInputs({ previous: dailySeries('2015-07-01', '2015-08-14', 1_000), lang: 'en' }));
      expect(report.summary).toBe(
        'Only 44 of the 184 days of the baseline (2015 H2) have data: with more than a tenth missing, no change is stated.',
      );
      expect(report.totals.percent).toBeNull();
      expect(report.totals.adjustedPercent).toBeNull();
    });

    it('says so in Chinese for a period without any data', () => {
      const report = buildSavingsReport(savingsInputs({ current: [] }));
      expect(report.summary).toBe('本期（106年下半年）184天中沒有一天有用量資料，資料不足（缺漏超過一成），不計算增減。');
      expect(report.totals.percent).toBeNull();
    });

    it('compares when at most a tenth of the days is missing', () => {
      // 18 of 184 days missing (9.8 %): 166 days x 900 = 149,400 against 184 x 1,000 = 184,000,
      // down 34,600, 18.80 %.
      const report = buildSavingsReport(
        savingsInputs({ current: dailySeries('2017-07-01', '2018-01-01', (date) => (date < '2017-07-19' ? null : 900)) }),
      );
      expect(report.summary).toBe('Hall106年下半年用電量為14萬9,400度，較基期年(104年)同期18萬4,000度，減少3萬4,600度，約18.80%');
    });
  });

  describe('a normalised report with baselineFrom/baselineTo (#17 item 1)', () => {
    it("compares with the model's prediction and prints the model's baseline period", () => {
      const report = buildSavingsReport(normalisedInputs());
      // 184 days x 1,200 = 220,800 predicted; 184 x 1,080 = 198,720 used; 22,080 avoided, 10.00 %.
      expect(report.baseline).toMatchObject({
        from: '2015-11-15',
        to: '2016-11-15',
        label: '2015-11-15 to 2016-11-14',
        days: 366,
        daysWithData: 366,
      });
      expect(report.totals).toMatchObject({ current: 198_720, baseline: 220_800, difference: -22_080, percent: -10 });
      expect(report.months.map((m) => [m.month, m.current, m.baseline, m.percent])).toEqual([
        ['2017-07', 31 * 1_080, 31 * 1_200, -10],
        ['2017-08', 31 * 1_080, 31 * 1_200, -10],
        ['2017-09', 30 * 1_080, 30 * 1_200, -10],
        ['2017-10', 31 * 1_080, 31 * 1_200, -10],
        ['2017-11', 30 * 1_080, 30 * 1_200, -10],
        ['2017-12', 31 * 1_080, 31 * 1_200, -10],
      ]);
    });
  });

  describe('the headline states its method, or no number when the model is not usable (#17 item 2)', () => {
    it('states the normalised saving for a normalised report', () => {
      const report = buildSavingsReport(normalisedInputs());
      expect(report.summaryMethod).toBe('normalised');
      expect(report.summary).toBe(
        "Weather-normalised (IPMVP Option C, CalTRACK daily model): 2017 H2 used 198,720 kWh against 220,800 kWh predicted by the model of the baseline (2015-11-15 to 2016-11-14) for this period's weather: down 22,080 kWh, about 10.00% (± 0% of the saving at 68% confidence).",
      );
      expect(buildSavingsReport(normalisedInputs({ lang: 'zh-TW' })).summary).toBe(
        '氣候正規化（IPMVP選項C，CalTRACK日模型）：106年下半年實際用量19萬8,720度，依基期（104/11/15-105/11/14）模型於本期天氣之預估用量22萬800度，減少2萬2,080度，約10.00%，不確定度為節能量的±0%（68%信賴水準）。',
      );
    });

    it('says the model is not usable instead of a number when it fails Guideline 14', () => {
      // Use alternates 500 / 1,500 around a mean of 1,000: the model is the mean, every residual
      // ±500, RMSE = 500 x sqrt(366 / 365) = 500.68, CV(RMSE) = 50.07 %, NMBE = 0.
      const report = buildSavingsReport(normalisedInputs({ lang: 'zh-TW' }, (_t, i) => (i % 2 === 0 ? 500 : 1_500)));
      expect(report.summaryMethod).toBe('none');
      expect(report.totals.percent).toBeNull();
      expect(report.summary).toBe(
        '氣候正規化（IPMVP選項C，CalTRACK日模型）：模型不適用，基期模型未通過ASHRAE Guideline 14（CV(RMSE) 50.1%，NMBE 0.00%；上限為30%與±10%），故不列節能數字。',
      );
    });

    it('names the same-period method in a same-period report', () => {
      expect(buildSavingsReport(savingsInputs()).summaryMethod).toBe('same-period');
    });
  });

  describe('leap-year baselines (#17 item 3)', () => {
    it('keeps every month of calendar 2017 against 2016 in its month, and no 2018 row', () => {
      const report = buildSavingsReport(
        savingsInputs({
          period: { from: '2017-01-01', to: '2018-01-01' },
          baseline: { from: '2016-01-01', to: '2017-01-01' },
          baselineYear: 2016,
          current: dailySeries('2017-01-01', '2018-01-01', 900),
          // 1,000 a day, but 5,000 on 29 February and 3,000 on 1 March: each belongs to its own month.
          previous: dailySeries('2016-01-01', '2017-01-01', (date) =>
            date === '2016-02-29' ? 5_000 : date === '2016-03-01' ? 3_000 : 1_000,
          ),
        }),
      );
      const days = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
      expect(report.months.map((m) => [m.month, m.current, m.baseline])).toEqual(
        days.map((n, i) => [
          `2017-${String(i + 1).padStart(2, '0')}`,
          n * 900,
          // February 2016: 28 x 1,000 + 5,000 = 33,000; March: 30 x 1,000 + 3,000 = 33,000.
          i === 1 ? 33_000 : i === 2 ? 33_000 : n * 1_000,
        ]),
      );
      // 365 x 900 = 328,500; the baseline's 366 days: 364 x 1,000 + 5,000 + 3,000 = 372,000.
      expect(report.totals).toMatchObject({ current: 328_500, baseline: 372_000 });
    });
  });

  describe('small things (#17 item 11)', () => {
    const table = (report: ReturnType<typeof buildSavingsReport>, key: string) => reportTables(report).find((t) => t.key === key)!;

    it("puts the measured saving in its own column, not under 'Entered by'", () => {
      const report = buildSavingsReport(
        savingsInputs({
          lang: 'en',
          measures: [
            {
              id: 1,
              utility: 'electricity',
              name: '93 PLC lamps to LED',
              installedOn: '2017-01-01',
              estimatedPerYear: 7_440,
              estimatedNtdPerYear: 28_198,
              note: null,
              createdBy: 'officer',
              createdAt: '2017-01-01T00:00:00Z',
              retiredBy: null,
              retiredAt: null,
            },
          ],
        }),
      );
      const measures = table(report, 'measures');
      expect(measures.columns).toEqual([
        'name',
        'installed',
        'Estimated / year',
        'Estimated NT$ / year',
        'Estimated (This period)',
        'Measured (This period)',
        'Entered by',
      ]);
      // 7,440 x 184 / 365 = 3,750.58 estimated in 2017 H2; measured 184 x (1,000 - 900) = 18,400.
      expect(measures.rows).toEqual([
        ['93 PLC lamps to LED', '2017-01-01', 7_440, 28_198, 3_751, null, 'officer'],
        ['Estimated / Measured', null, null, null, 3_751, 18_400, null],
      ]);
    });

    it("says '1 day was excluded'", () => {
      const exclusion = {
        id: 2,
        utility: 'electricity' as const,
        kind: 'exclude' as const,
        startsOn: '2017-10-10',
        endsOn: '2017-10-11',
        amount: null,
        reason: 'National Day event',
        createdBy: 'officer',
        createdAt: '2017-10-12T00:00:00Z',
        retiredBy: null,
        retiredAt: null,
      };
      const report = buildSavingsReport(savingsInputs({ lang: 'en', adjustments: [exclusion] }));
      expect(report.dataQuality.notes).toContain('1 day was excluded from both periods by non-routine adjustments.');
    });

    it("takes 2015's published grid factor, and says which factor stands in for a year before the table", () => {
      const report = buildSavingsReport(savingsInputs({ lang: 'en' }));
      // 184 x 1,000 kWh x 0.525 = 96,600 kg in 2015 H2; 184 x 900 x 0.554 = 91,742.4 kg in 2017 H2.
      expect(report.emissions.factors).toEqual([
        { year: 2015, factor: 0.525, factorYear: 2015, provisional: false },
        { year: 2017, factor: 0.554, factorYear: 2017, provisional: false },
      ]);
      expect(report.emissions.baselineKg).toBeCloseTo(96_600, 6);
      expect(report.dataQuality.notes.join(' ')).not.toMatch(/not published/);
      const early = buildSavingsReport(
        savingsInputs({
          lang: 'en',
          baseline: { from: '2005-07-01', to: '2006-01-01' },
          baselineYear: 2005,
          previous: dailySeries('2005-07-01', '2006-01-01', 1_000),
        }),
      );
      expect(early.dataQuality.notes).toContain(
        'No grid emission factor is published for 2005: the earliest published one (2011) stands in.',
      );
    });

    it('prints NMBE 0, never -0', () => {
      // The noiseless model of the normalised fixture fits exactly: NMBE is 0 up to rounding error.
      const report = buildSavingsReport(normalisedInputs());
      const model = table(report, 'model');
      const nmbe = model.rows.find((row) => String(row[0]).startsWith('NMBE'))!;
      expect(Object.is(nmbe[1], -0)).toBe(false);
      expect(nmbe[1]).toBe(0);
      expect(report.normalised!.verdict.join(' ')).toContain('NMBE 0.00%');
    });
  });

  describe('a zh-TW report is in Traditional Chinese, with ROC years (#17 item 9)', () => {
    const adjustment = {
      id: 3,
      utility: 'electricity' as const,
      kind: 'exclude' as const,
      startsOn: '2017-10-10',
      endsOn: '2017-10-11',
      amount: null,
      reason: '國慶活動',
      createdBy: '能源管理員',
      createdAt: '2017-10-12T01:02:03.000Z',
      retiredBy: null,
      retiredAt: null,
    };
    const measure = {
      id: 4,
      utility: 'electricity' as const,
      name: 'LED燈具汰換',
      installedOn: '2017-01-01',
      estimatedPerYear: 7_440,
      estimatedNtdPerYear: 28_198,
      note: null,
      createdBy: '能源管理員',
      createdAt: '2017-01-01T00:00:00Z',
      retiredBy: null,
      retiredAt: null,
    };
    // Words that stay as they are in a Chinese report: names of standards and statistics, units
    // (°C and CO2e split into C, CO and e), the site's name and key, and the measure's own name.
    const ALLOWED = new Set([
      'C',
      'CO',
      'e',
      'LED',
      'ASHRAE',
      'Guideline',
      'CV',
      'RMSE',
      'NMBE',
      'R',
      'IPMVP',
      'CalTRACK',
      'NT',
      'CO2e',
      'kW',
      'UTC',
      'Hall',
      'hall',
    ]);

    it('has no English word and no Gregorian date in its tables, verdicts and notes', () => {
      const report = buildSavingsReport(
        normalisedInputs({
          lang: 'zh-TW',
          site: { key: 'hall', name: 'Hall' },
          adjustments: [adjustment],
          measures: [measure],
          current: dailySeries('2017-07-01', '2018-01-01', (date) => (date === '2017-08-08' ? null : 1_080)),
        }),
      );
      const texts = [
        report.summary,
        ...report.dataQuality.notes,
        ...report.normalised!.verdict,
        ...reportTables(report).flatMap((t) => [
          t.title,
          ...t.columns,
          ...t.rows.flat().map((cell) => (typeof cell === 'string' ? cell : '')),
        ]),
      ];
      const english = texts.flatMap((text) => text.match(/[A-Za-z]+/g) ?? []).filter((word) => !ALLOWED.has(word));
      expect([...new Set(english)]).toEqual([]);
      expect(texts.filter((text) => /(19|20)\d\d[-/]\d\d/.test(text))).toEqual([]);
    });

    it('writes the model table, verdicts and notes as expected', () => {
      const report = buildSavingsReport(
        normalisedInputs({ lang: 'zh-TW', adjustments: [adjustment], measures: [measure], generatedAt: '2018-01-02T03:04:05.000Z' }),
      );
      const tables = reportTables(report);
      const rows = (key: string) => tables.find((t) => t.key === key)!.rows;
      // The exact fit of the fixture: 1,000 a day plus 50 per °C above 22 °C.
      expect(rows('model').slice(0, 7)).toEqual([
        ['模型', '冷房度日模型'],
        ['度日計算', '日均溫度'],
        ['基載 (每日)', 1_000],
        ['冷房斜率 (每度日)', 50],
        ['冷房平衡點溫度 (°C)', 22],
        ['暖房斜率 (每度日)', 0],
        ['暖房平衡點溫度 (°C)', null],
      ]);
      expect(rows('model').find((row) => row[0] === 'ASHRAE Guideline 14 檢核')).toEqual(['ASHRAE Guideline 14 檢核', '通過']);
      expect(report.normalised!.verdict).toEqual([
        '基期模型符合ASHRAE Guideline 14（CV(RMSE) 0.0%，NMBE 0.00%，R² 1.00）。',
        // 183 reporting days (10-10 excluded): 10.0 % saved, ± 0 % for an exact fit.
        '節能率為10.0%，不確定度為其±0%（68%信賴水準）：在Guideline 14的50%以內。',
      ]);
      expect(report.dataQuality.notes).toEqual(['依非例行調整，兩期皆排除1天。']);
      expect(rows('summary').find((row) => row[0] === '本期')).toEqual(['本期', '106年下半年 (106/07/01 – 106/12/31)']);
      expect(rows('summary').find((row) => row[0] === '模型基期')).toEqual(['模型基期', '104/11/15-105/11/14 (104/11/15 – 105/11/14)']);
      expect(rows('summary').find((row) => row[0] === '產製時間')).toEqual(['產製時間', '107/01/02 03:04:05 (UTC)']);
      expect(rows('monthly')[0][0]).toBe('106年7月');
      expect(rows('adjustments')).toEqual([[3, '排除日期', '106/10/10', '106/10/10', null, '國慶活動', '能源管理員', '106/10/12 01:02']]);
      expect(rows('days')[0]).toEqual(['106/07/01', 26, 1_080, 1_200]);
    });
  });

  describe('degree-days from hourly temperatures (#17 item 5)', () => {
    it('uses the hours when every day has them, and says so', () => {
      const inputs = normalisedInputs();
      // Each day's 24 hours at its mean: the same degree-days as the daily mean, so the same saving.
      const hourlyTemperatures = new Map(
        [...inputs.temperatures.entries()].map(([date, t]) => [date, Array.from({ length: 24 }, () => t)]),
      );
      const report = buildSavingsReport({ ...inputs, hourlyTemperatures });
      expect(report.normalised!.model.degreeDays).toBe('hourly');
      expect(report.summary).toMatch(
        /^Weather-normalised \(IPMVP Option C, CalTRACK daily model, degree-days from hourly temperatures\): .*down 22,080 kWh, about 10.00%/,
      );
      expect(reportTables(report).find((t) => t.key === 'model')!.rows[1]).toEqual([
        'degree-days',
        'from hourly temperatures (degree-hours / 24)',
      ]);
    });
  });
});
