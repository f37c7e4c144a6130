import { taipeiIso, toCsv, trendCsv } from './csv';

const at = (iso: string) => Date.parse(iso);

describe('csv', () => {
  it('quotes only what needs quoting and ends lines with CRLF', () => {
    expect(
      toCsv(
        ['name', 'value'],
        [
          ['總受電盤, main', 1.5],
          ['say "hi"', null],
          ['two\nlines', Number.NaN],
        ],
      ),
    ).toBe('name,value\r\n"總受電盤, main",1.5\r\n"say ""hi""",\r\n"two\nlines",\r\n');
  });

  it('writes times in Taipei with their offset', () => {
    expect(taipeiIso(at('2025-07-01T02:05:00Z'))).toBe('2025-07-01T10:05:00+08:00');
    expect(taipeiIso(at('2025-07-01T02:05:00.250Z'))).toBe('2025-07-01T10:05:00.250+08:00');
  });

  const label = (column: string) => column;
  const row = { ts: at('2025-07-01T10:00:00+08:00'), value: 412.5, min: 400, max: 430, count: 60 };

  it('writes raw rows as time and value, with the unit in the header', () => {
    expect(trendCsv([row], 'raw', 'kW', label)).toBe('time,value (kW)\r\n2025-07-01T10:00:00+08:00,412.5\r\n');
  });

  it('writes buckets with their mean, min, max and count', () => {
    expect(trendCsv([row], '15m', '', label)).toBe('bucketStart,mean,min,max,count\r\n2025-07-01T10:00:00+08:00,412.5,400,430,60\r\n');
  });
});
