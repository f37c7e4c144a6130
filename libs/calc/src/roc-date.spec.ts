import { describePeriod, formatRocDate, halfYear, parseRocDate, rocYear, samePeriodInYear } from './roc-date';

describe('ROC dates', () => {
  it('converts years', () => {
    expect(rocYear(2015)).toBe(104);
    expect(rocYear(2025)).toBe(114);
  });

  it.each([
    ['2024-01-01', 'slash', '113/01/01'],
    ['2024-01-01', 'dot', '113.01.01'],
    ['2024-01-01', 'compact', '1130101'],
    ['2010-12-31', 'compact', '0991231'],
  ] as const)('formats %s as %s: %s and reads it back', (iso, style, text) => {
    expect(formatRocDate(iso, style)).toBe(text);
    expect(parseRocDate(text)).toBe(iso);
  });

  it('reads two-digit years and rejects nonsense', () => {
    expect(parseRocDate('99/12/31')).toBe('2010-12-31');
    expect(parseRocDate('991231')).toBe('2010-12-31');
    expect(() => parseRocDate('113/02/30')).toThrow('no such day');
    expect(() => parseRocDate('yesterday')).toThrow('not an ROC date');
  });

  it.each([
    [halfYear(2017, 2), '106年下半年', '2017 H2'],
    [halfYear(2025, 1), '114年上半年', '2025 H1'],
    [{ from: '2017-07-01', to: '2017-10-01' }, '106年第3季', '2017 Q3'],
    [{ from: '2017-07-01', to: '2017-08-01' }, '106年7月', 'July 2017'],
    [{ from: '2017-01-01', to: '2018-01-01' }, '106年', '2017'],
    // whole months within a year, as the council report writes them (#17 item 10)
    [{ from: '2017-01-01', to: '2017-05-01' }, '106年1-4月', 'January-April 2017'],
    [{ from: '2017-08-01', to: '2018-01-01' }, '106年8-12月', 'August-December 2017'],
    [{ from: '2017-07-05', to: '2017-08-04' }, '106/07/05-106/08/03', '2017-07-05 to 2017-08-03'],
  ])('describes %o', (period, zh, en) => {
    expect(describePeriod(period, 'zh-TW')).toBe(zh);
    expect(describePeriod(period, 'en')).toBe(en);
  });

  it('shifts a period to another year, leap days to 1 March', () => {
    expect(samePeriodInYear(halfYear(2017, 2), 2015)).toEqual(halfYear(2015, 2));
    expect(samePeriodInYear({ from: '2024-02-29', to: '2024-03-02' }, 2023)).toEqual({ from: '2023-03-01', to: '2023-03-02' });
  });
});
