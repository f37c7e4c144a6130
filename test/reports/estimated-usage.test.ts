import { ReadingRepository, RollupRefresher, RollupRepository } from '@hallwatch/readings';
import { RegistryRepository } from '@hallwatch/registry';
import {
  reportTables,
  SavingsAnnotationsRepository,
  SavingsDataRepository,
  savingsRequestSchema,
  SavingsService,
} from '@hallwatch/savings';
import { BACKENDS, createTestDatabase, mainIncomer, reportSite, TestDatabase } from '@hallwatch/testing';

const DAY = 86_400_000;
const site = reportSite('outage-hall', 'Outage hall', [mainIncomer({ expectedIntervalSeconds: 86_400 })]);

/**
 * The report's data-quality section names the use estimated across meter gaps: how much, what
 * share of the period, and on which days (issue #14: "reported (kWh and % of the period) in the
 * report's data-quality section"). Numbers worked out by hand in the comments.
 */
describe.each(BACKENDS)('estimated use in a savings report on %s', (backend) => {
  let testDb: TestDatabase;
  let savings: SavingsService;

  beforeAll(async () => {
    testDb = await createTestDatabase(backend);
    const registry = new RegistryRepository(testDb.db);
    await registry.applySites([site], 'registry');
    const [{ pointId }] = await registry.allPointAddresses();
    const midnight = (iso: string) => Date.parse(`${iso}T00:00:00+08:00`);
    const reads: Array<{ pointId: number; ts: number; value: number; flags: number }> = [];
    // Baseline 2015 H2: read at every Taipei midnight from 2015-07-01 to 2016-01-01, 1,000 kWh a day.
    for (let d = 0; d <= 184; d++) reads.push({ pointId, ts: midnight('2015-07-01') + d * DAY, value: 1_000 * d, flags: 0 });
    // 2016 H2: 900 kWh a day, but no reads at the midnights of 2016-09-02 .. 09-10: the read at
    // 2016-09-11 steps 10 days (9,000 kWh), the use of 2016-09-01 .. 09-10, spread 900 a day.
    const h2 = midnight('2016-07-01');
    for (let d = 0; d <= 184; d++) {
      const ts = h2 + d * DAY;
      if (ts > midnight('2016-09-01') && ts < midnight('2016-09-11')) continue;
      reads.push({ pointId, ts, value: 500_000 + 900 * d, flags: 0 });
    }
    await new ReadingRepository(testDb.db, testDb.db).insertBatch(reads);
    await new RollupRefresher(testDb.db).drain();
    savings = new SavingsService(
      new SavingsDataRepository(testDb.db, new RollupRepository(testDb.db)),
      new SavingsAnnotationsRepository(testDb.db),
      registry,
    );
  }, 120_000);

  afterAll(() => testDb?.drop());

  const request = (lang: 'en' | 'zh-TW') =>
    savingsRequestSchema.parse({
      site: 'outage-hall',
      method: 'same-period',
      from: '2016-07-01',
      to: '2017-01-01',
      baselineYear: 2015,
      lang,
    });

  it('states the estimated kWh, its share of the period and the days it covers', async () => {
    const report = await savings.report(request('en'));
    // 184 days x 900 = 165,600 kWh, of which 9,000 estimated: 9,000 / 165,600 = 5.43 %.
    expect(report.totals.current).toBeCloseTo(165_600, 6);
    expect(report.totals.baseline).toBeCloseTo(184_000, 6);
    const { period, baseline } = report.dataQuality.estimated;
    expect(period.amount).toBeCloseTo(9_000, 6);
    expect(period.percent).toBeCloseTo(5.434_782_6, 6);
    expect(period.spans).toHaveLength(1);
    expect(period.spans[0]).toMatchObject({ from: '2016-09-01', to: '2016-09-10' });
    expect(period.spans[0].amount).toBeCloseTo(9_000, 6);
    expect(baseline).toEqual({ amount: 0, percent: 0, spans: [] });
    expect(report.dataQuality.notes).toContain(
      'Of the period, 9,000 kWh (5.4 %) is estimated across meter gaps, spread evenly over each gap: 2016-09-01 to 2016-09-10: 9,000 kWh.',
    );
    expect(report.dataQuality.notes.join(' ')).not.toMatch(/counted whole in the interval after it/);

    const table = reportTables(report).find((candidate) => candidate.key === 'estimated');
    expect(table?.rows).toEqual([
      ['This period', '2016-09-01', '2016-09-10', 9_000, null],
      ['This period', null, null, 9_000, 5.43],
      ['Baseline', null, null, 0, 0],
    ]);
  });

  it('says it in Traditional Chinese in a zh-TW report', async () => {
    const report = await savings.report(request('zh-TW'));
    expect(report.dataQuality.notes).toContain(
      '本期有9,000度（占5.4%）為電表資料中斷期間的估計值，依時間平均分攤：105/09/01至105/09/10共9,000度。',
    );
  });
});
