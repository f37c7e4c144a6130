import { inReportingYear, monthCoverage } from './month-coverage';

describe('monthCoverage', () => {
  it('tells whole, partial and empty months of a period from its missing spans', () => {
    // January whole; February 1-28 missing entirely; March 1-10 missing of the 1-15 in the period.
    const coverage = monthCoverage({ from: '2026-01-01', to: '2026-03-16' }, [{ from: '2026-02-01', to: '2026-03-10' }]);
    expect([...coverage]).toEqual([
      ['2026-01', 'whole'],
      ['2026-02', 'none'],
      ['2026-03', 'partial'],
    ]);
  });

  it('keys the baseline months as the reporting ones', () => {
    const baseline = monthCoverage({ from: '2015-01-01', to: '2015-03-01' }, [{ from: '2015-02-01', to: '2015-02-28' }]);
    expect([...inReportingYear(baseline, '2026')]).toEqual([
      ['2026-01', 'whole'],
      ['2026-02', 'none'],
    ]);
  });
});
