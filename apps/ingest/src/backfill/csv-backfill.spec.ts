import { parseNativeV1 } from '../native-v1.parser';
import { backfillMessages, MAX_MESSAGE_BYTES, parseBackfillCsv } from './csv-backfill';

describe('CSV back-fill', () => {
  it('reads register and gauge readings, with the site given or in a column', () => {
    const parsed = parseBackfillCsv(
      ['asset,point,ts,value', 'main-incomer,kWh,2015-03-01T00:00:00+08:00,1000.5', 'main-incomer,kW,1425139200000,412'].join('\n'),
      { site: 'demo-hall' },
    );
    expect(parsed.problems).toEqual([]);
    expect(parsed.rows).toEqual([
      { site: 'demo-hall', asset: 'main-incomer', point: 'kWh', ts: Date.parse('2015-03-01T00:00:00+08:00'), value: 1000.5 },
      { site: 'demo-hall', asset: 'main-incomer', point: 'kW', ts: 1425139200000, value: 412 },
    ]);
    const withSite = parseBackfillCsv('site,asset,point,ts,value\r\nother-hall,water-main,m3,2015-03-01T00:00:00+08:00,5\r\n');
    expect(withSite.rows[0]).toMatchObject({ site: 'other-hall', point: 'm3' });
  });

  it('names the line and the problem for every bad row, and keeps the good ones', () => {
    const parsed = parseBackfillCsv(
      [
        '# exported from the old BMS',
        'asset,point,ts,value',
        'main-incomer,kWh,2015-03-01 00:00,1',
        'main-incomer,kWh,2015-03-01T00:15:00+08:00,n/a',
        'Main Incomer,kWh,2015-03-01T00:15:00+08:00,2',
        'main-incomer,kWh,2015-03-01T00:30:00+08:00',
        'main-incomer,kWh,2015-03-01T00:45:00+08:00,3',
      ].join('\n'),
      { site: 'demo-hall' },
    );
    expect(parsed.rows.map((row) => row.value)).toEqual([3]);
    expect(parsed.problems).toEqual([
      { line: 3, problem: 'ts "2015-03-01 00:00" is not ISO 8601 with an offset, nor epoch ms' },
      { line: 4, problem: 'value "n/a" is not a number' },
      { line: 5, problem: 'asset "Main Incomer" is not a key ([a-z0-9-]+)' },
      { line: 6, problem: 'expected 4 columns, found 3' },
    ]);
    expect(parseBackfillCsv('when,what\n1,2', { site: 'x' }).problems[0].problem).toMatch(/^the header must be/);
  });

  it('turns utility interval data into a register that starts where asked', () => {
    const parsed = parseBackfillCsv(
      [
        'asset,point,start,end,value',
        'main-incomer,kWh,2015-03-01T00:15:00+08:00,2015-03-01T00:30:00+08:00,20',
        'main-incomer,kWh,2015-03-01T00:00:00+08:00,2015-03-01T00:15:00+08:00,10',
        'main-incomer,kWh,2015-03-01T01:00:00+08:00,2015-03-01T01:15:00+08:00,5',
      ].join('\n'),
      { site: 'demo-hall', registerStart: 100 },
    );
    expect(parsed.problems).toEqual([]);
    expect(parsed.rows.map((row) => [new Date(row.ts).toISOString(), row.value])).toEqual([
      // read at each interval's end: a step (t0, t1] is the consumption of exactly that interval
      ['2015-02-28T16:00:00.000Z', 100],
      ['2015-02-28T16:15:00.000Z', 110],
      ['2015-02-28T16:30:00.000Z', 130],
      // a gap before the next interval: the register stands still until it starts
      ['2015-02-28T17:00:00.000Z', 130],
      ['2015-02-28T17:15:00.000Z', 135],
    ]);
  });

  it('groups readings into native v1 messages per asset, in time order, a bounded number each', () => {
    const rows = [3, 1, 2].map((i) => ({ site: 'demo-hall', asset: 'main-incomer', point: 'kWh', ts: i * 1000, value: i }));
    rows.push({ site: 'demo-hall', asset: 'main-incomer', point: 'kW', ts: 1000, value: 7 });
    const messages = backfillMessages(rows, 'hallwatch/v1', 2);
    expect(messages).toEqual([
      {
        topic: 'hallwatch/v1/demo-hall/main-incomer',
        payload: JSON.stringify([
          { ts: 1000, values: { kWh: 1, kW: 7 } },
          { ts: 2000, values: { kWh: 2 } },
        ]),
      },
      { topic: 'hallwatch/v1/demo-hall/main-incomer', payload: JSON.stringify([{ ts: 3000, values: { kWh: 3 } }]) },
    ]);
  });

  describe('hostile files', () => {
    it('quotes at most the start of a huge cell, and keeps NUL out of the problem', () => {
      const parsed = parseBackfillCsv(
        [
          'asset,point,ts,value',
          `main-incomer,kW,1425139200000,${'9'.repeat(1_000_000)}x`,
          'main-incomer,kW,1425139200000,\u0000溫度',
        ].join('\n'),
        { site: 'demo-hall' },
      );
      expect(parsed.problems.map((problem) => problem.line)).toEqual([2, 3]);
      for (const { problem } of parsed.problems) {
        expect(problem.length).toBeLessThan(150);
        expect(problem).not.toContain('\u0000');
      }
      expect(parsed.problems[1].problem).toBe('value "\\u0000溫度" is not a number');
    });

    it('refuses a point key longer than ingest accepts, before anything is sent', () => {
      const long = 'k'.repeat(257);
      const parsed = parseBackfillCsv(
        ['asset,point,ts,value', `m,${long},1425139200000,1`, `m,${'k'.repeat(256)},1425139200000,1`].join('\n'),
        {
          site: 'demo-hall',
        },
      );
      expect(parsed.rows).toHaveLength(1);
      expect(parsed.problems).toEqual([{ line: 2, problem: expect.stringMatching(/^point "k+… is longer than 256 characters$/) }]);
    });

    it('reads a year of 15-minute intervals of one point in linear time', () => {
      const start = Date.parse('2015-01-01T00:00:00+08:00');
      const lines = ['asset,point,start,end,value'];
      for (let i = 0; i < 35_040; i++) lines.push(`m,kWh,${start + i * 900_000},${start + (i + 1) * 900_000},1`);
      const began = Date.now();
      const parsed = parseBackfillCsv(lines.join('\n'), { site: 'demo-hall' });
      expect(parsed.rows).toHaveLength(35_041);
      expect(parsed.rows.at(-1)!.value).toBe(35_040);
      expect(Date.now() - began).toBeLessThan(3_000);
    });

    it('splits a time with more values than fit in one message, and ingest reads every one back', () => {
      const ts = Date.parse('2015-03-01T00:00:00+08:00');
      const rows = Array.from({ length: 20_000 }, (_, i) => ({
        site: 'demo-hall',
        asset: 'm',
        point: `p${'x'.repeat(200)}${i}`,
        ts,
        value: i,
      }));
      const began = Date.now();
      const messages = backfillMessages(rows, 'hallwatch/v1');
      expect(Date.now() - began).toBeLessThan(3_000);
      expect(messages.length).toBeGreaterThan(1);
      const limits = { topicPrefix: 'hallwatch/v1', maxPayloadBytes: 256 * 1024, maxFutureMs: 0, maxAgeMs: 1e13 };
      const read = messages.flatMap((message) => {
        expect(Buffer.byteLength(message.payload)).toBeLessThanOrEqual(MAX_MESSAGE_BYTES);
        const result = parseNativeV1(message.topic, Buffer.from(message.payload), Date.now(), limits);
        expect(result.rejections).toEqual([]);
        return result.readings;
      });
      expect(read.map((reading) => reading.value)).toEqual(rows.map((row) => row.value));
    });
  });
});
