import { formatters, NO_VALUE } from './format';

const at = (iso: string) => Date.parse(iso);

describe('formatters', () => {
  const zh = formatters('zh-TW', 'Asia/Taipei');
  const en = formatters('en', 'Asia/Taipei');

  it.each([
    [1234.56, 1, '1,234.6'],
    [412.5, 0, '413'],
    [0.7234, 2, '0.72'],
    [-0.04, 1, '0.0'],
    [6000, 0, '6,000'],
  ])('formats %p with %p decimals as %p', (value, digits, expected) => {
    expect(zh.number(value, digits)).toBe(expected);
    expect(en.number(value, digits)).toBe(expected);
  });

  it.each([null, undefined, Number.NaN, Number.POSITIVE_INFINITY])('shows a dash, never 0 or NaN, for %p', (value) => {
    expect(zh.number(value, 1)).toBe(NO_VALUE);
    expect(zh.percent(value)).toBe(NO_VALUE);
  });

  it('formats percentages', () => {
    expect(zh.percent(0.934)).toBe('93%');
    expect(en.percent(1.052, 1)).toBe('105.2%');
  });

  it("formats times in the site's zone (here Taipei), whatever the machine time zone, on a 24-hour clock", () => {
    const ts = at('2025-07-01T22:05:09+08:00');
    expect(zh.time(ts)).toBe('22:05:09');
    expect(en.time(ts)).toBe('22:05:09');
    expect(zh.clock(ts)).toBe('22:05');
    // ICU separates date and time with a thin space in zh-TW.
    expect(zh.dateTime(ts).replace(/\s/g, ' ')).toBe('2025/07/01 22:05');
    expect(en.dateTime(ts).replace(/\s/g, ' ')).toBe('07/01/2025, 22:05');
    // 16:30 UTC is already the next day in Taipei.
    expect(zh.date(at('2025-07-01T16:30:00Z'))).toBe('2025/07/02');
    expect(zh.monthDay(at('2025-07-01T16:30:00Z'))).toBe('07/02');
  });

  it('formats times in New York, across its daylight-saving change, for a site there', () => {
    const ny = formatters('en', 'America/New_York');
    expect(ny.time(at('2025-03-09T06:59:00Z'))).toBe('01:59:00');
    expect(ny.time(at('2025-03-09T07:00:00Z'))).toBe('03:00:00');
    expect(ny.date(at('2025-07-01T03:59:00Z'))).toBe('06/30/2025');
    expect(ny.zoneName).toBe('New York');
    expect(en.zoneName).toBe('Taipei');
    expect(zh.zoneName).toBe('台北標準時間');
  });

  it.each([
    [0, '0 秒前', '0 sec. ago'],
    [12_400, '12 秒前', '12 sec. ago'],
    [125_000, '2 分鐘前', '2 min. ago'],
    [3 * 3_600_000 + 5, '3 小時前', '3 hr. ago'],
    [2 * 86_400_000, '2 天前', '2 days ago'],
    [-5_000, '0 秒前', '0 sec. ago'],
  ])('says how old a value of %p ms is', (ms, zhText, enText) => {
    expect(zh.age(ms)).toBe(zhText);
    expect(en.age(ms)).toBe(enText);
  });

  it('reuses one set of formatters per locale and zone', () => {
    expect(formatters('zh-TW', 'Asia/Taipei')).toBe(zh);
    expect(formatters('zh-TW', 'America/New_York')).not.toBe(zh);
  });
});
