import { readZincRequest } from './zinc-request';

describe('Zinc request grids', () => {
  it('reads what a Haystack client sends for read and hisRead', () => {
    // As haystack-core writes HDict.make({ filter, limit }).toGrid().toZinc() and the hisRead request.
    expect(readZincRequest('ver:"3.0"\nfilter,limit\n"site and dis==\\"a\\\\\\"b\\"",10\n')).toEqual([
      { filter: 'site and dis=="a\\"b"', limit: 10 },
    ]);
    expect(readZincRequest('ver:"3.0"\nid,range\n@s.a.kW "Main kW",   "2025-01-01,2025-01-02"\r\n')).toEqual([
      { id: { _kind: 'ref', val: 's.a.kW', dis: 'Main kW' }, range: '2025-01-01,2025-01-02' },
    ]);
    expect(readZincRequest('ver:"3.0"\na,b,c,d,e\n1_000.5kW,M,T,N,"\\u6771 ☀"\n')).toEqual([
      { a: { _kind: 'number', val: 1000.5, unit: 'kW' }, b: { _kind: 'marker' }, c: true, e: '東 ☀' },
    ]);
    expect(readZincRequest('ver:"3.0"\nfilter,limit\n"site",\n')).toEqual([{ filter: 'site' }]);
  });

  it.each([
    ['ver:"3.0"', 'filter\n"site"\n'],
    ['ver:"3.0"', 'ver:"3.0" meta\nfilter\n"site"\n'],
    ['no column names', 'ver:"3.0"\n'],
    ['not a column name', 'ver:"3.0"\nfilter dis:"x"\n"site"\n'],
    ['2 cells for 1 columns', 'ver:"3.0"\nfilter\n"site","equip"\n'],
    ['unterminated string', 'ver:"3.0"\nfilter\n"site\n'],
    ['invalid escape', 'ver:"3.0"\nfilter\n"a\\qb"\n'],
    ['only strings', 'ver:"3.0"\nfilter\n[1,2]\n'],
    ['only strings', 'ver:"3.0"\nfilter\n{a:1}\n'],
    ['control character', 'ver:"3.0"\nfilter\n"site"\u0000\n'],
    ['number out of range', 'ver:"3.0"\nfilter\n1e999\n'],
    ['more than 100 rows', `ver:"3.0"\nfilter\n${'"site"\n'.repeat(101)}`],
    ['longer than 16384 characters', `ver:"3.0"\nfilter\n"${'x'.repeat(20_000)}"\n`],
  ])('refuses: %s', (reason, text) => {
    expect(() => readZincRequest(text)).toThrow(reason);
  });
});
