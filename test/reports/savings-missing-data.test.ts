import { ReadingRepository, RollupRefresher, RollupRepository } from '@hallwatch/readings';
import { RegistryRepository } from '@hallwatch/registry';
import { SavingsAnnotationsRepository, SavingsDataRepository, savingsRequestSchema, SavingsService } from '@hallwatch/savings';
import { BACKENDS, createTestDatabase, mainIncomer, reportSite, TestDatabase } from '@hallwatch/testing';
import { parseBackfillCsv } from '../../apps/ingest/src/backfill/csv-backfill';

const site = reportSite('hole-hall', 'Hole hall', [mainIncomer({ expectedIntervalSeconds: 86_400 })]);

/** Daily utility intervals (one a day, `amount` kWh), skipping the given dates. */
function dailyIntervals(from: string, days: number, amount: number, skip: string[] = []): string[] {
  const lines: string[] = [];
  for (let i = 0; i < days; i++) {
    const start = new Date(Date.parse(`${from}T00:00:00+08:00`) + i * 86_400_000);
    const end = new Date(start.getTime() + 86_400_000);
    const date = new Date(start.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
    if (!skip.includes(date)) lines.push(`main-incomer,kWh,${start.toISOString()},${end.toISOString()},${amount}`);
  }
  return lines;
}

/**
 * Missing stays missing (#17 item 8): a hole in back-filled CSV interval data is not a 0 kWh day;
 * the data-quality section names the days without data. Numbers by hand in the comments.
 */
describe.each(BACKENDS)('missing data in a savings report on %s', (backend) => {
  let testDb: TestDatabase;
  let savings: SavingsService;

  beforeAll(async () => {
    testDb = await createTestDatabase(backend);
    const registry = new RegistryRepository(testDb.db);
    await registry.applySites([site], 'registry');
    const [{ pointId }] = await registry.allPointAddresses();
    // Baseline 2015-07-01 .. 07-20: 120 kWh a day, complete. Period 2016-07-01 .. 07-20: 100 kWh a
    // day, but the utility's file has no intervals for 2016-07-04 .. 07-06: the register
    // stands still over three days, a step longer than twice the point's daily interval (a gap).
    const csv = [
      'asset,point,start,end,value',
      ...dailyIntervals('2015-07-01', 20, 120),
      ...dailyIntervals('2016-07-01', 20, 100, ['2016-07-04', '2016-07-05', '2016-07-06']),
    ].join('\n');
    const parsed = parseBackfillCsv(csv, { site: site.key });
    expect(parsed.problems).toEqual([]);
    await new ReadingRepository(testDb.db, testDb.db).insertBatch(
      parsed.rows.map((row) => ({ pointId, ts: row.ts, value: row.value, flags: 0 })),
    );
    await new RollupRefresher(testDb.db).drain();
    savings = new SavingsService(
      new SavingsDataRepository(testDb.db, new RollupRepository(testDb.db)),
      new SavingsAnnotationsRepository(testDb.db),
      registry,
    );
  }, 120_000);

  afterAll(() => testDb?.drop());

  const request = (lang: 'en' | 'zh-TW') =>
    savingsRequestSchema.parse({ site: site.key, from: '2016-07-01', to: '2016-07-21', baselineYear: 2015, lang });

  it('leaves the hole out instead of storing 0 kWh days, and lists it', async () => {
    const report = await savings.report(request('en'));
    // 17 days x 100 = 1,700 kWh; the three days of the hole are neither 0 nor estimated.
    expect(report.period.daysWithData).toBe(17);
    expect(report.totals.current).toBeCloseTo(1_700, 6);
    expect(report.totals.baseline).toBeCloseTo(2_400, 6);
    expect(report.dataQuality.missing.period).toEqual([{ from: '2016-07-04', to: '2016-07-06', days: 3 }]);
    expect(report.dataQuality.missing.baseline).toEqual([]);
    expect(report.dataQuality.estimated.period.amount).toBe(0);
    expect(report.dataQuality.notes).toEqual([
      'The period has no data on 3 days, counted as missing, not as zero: 2016-07-04 to 2016-07-06 (3 days).',
    ]);
    // 17 of 20 days (85 %) is too little to compare.
    expect(report.summary).toBe(
      'Only 17 of the 20 days of the period (2016-07-01 to 2016-07-20) have data: with more than a tenth missing, no change is stated.',
    );
  });

  it('says it in Chinese with ROC dates', async () => {
    const report = await savings.report(request('zh-TW'));
    expect(report.dataQuality.notes).toEqual(['本期共3天沒有資料，未計入用量：105/07/04至105/07/06（3天）。']);
  });
});
