import { toCsv, trendCsv } from './csv';

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

  const label = (column: string) => column;

  it("writes times in the site's zone with their offset", () => {
    const raw = (ts: number, zone: string) =>
      trendCsv([{ ts, value: 1, min: 1, max: 1, count: 1 }], 'raw', '', zone, label).split('\r\n')[1];
    expect(raw(at('2025-07-01T02:05:00Z'), 'Asia/Taipei')).toBe('2025-07-01T10:05:00+08:00,1');
    expect(raw(at('2025-07-01T02:05:00.250Z'), 'Asia/Taipei')).toBe('2025-07-01T10:05:00.250+08:00,1');
    expect(raw(at('2025-11-02T06:30:00Z'), 'America/New_York')).toBe('2025-11-02T01:30:00-05:00,1');
  });

  const row = { ts: at('2025-07-01T10:00:00+08:00'), value: 412.5, min: 400, max: 430, count: 60 };

  it('writes raw rows as time and value, with the unit in the header', () => {
    expect(trendCsv([row], 'raw', 'kW', 'Asia/Taipei', label)).toBe('time,value (kW)\r\n2025-07-01T10:00:00+08:00,412.5\r\n');
  });

  it('writes buckets with their mean, min, max and count', () => {
    expect(trendCsv([row], '15m', '', 'Asia/Taipei', label)).toBe(
      'bucketStart,mean,min,max,count\r\n2025-07-01T10:00:00+08:00,412.5,400,430,60\r\n',
    );
  });
});
