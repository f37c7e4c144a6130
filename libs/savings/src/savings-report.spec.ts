import { dailySeries, savingsInputs } from './savings-report.fixture';
import { buildSavingsReport } from './savings-report';

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
      expect(report.summary).toBe('本期總用電量 14 萬 9,400 度，與基期年(104)同期 18 萬 4,000 度相比，減少 3 萬 4,600 度，約 18.80%。');
    });
  });
});
