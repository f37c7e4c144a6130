import type { BucketReading } from '../api/api-types';
import { LiveSeries, sumBuckets } from './live-series';

const at = (iso: string) => Date.parse(iso);
const MIN = 60_000;
const ZONE = 'Asia/Taipei';
const bucket = (iso: string, mean: number, count: number): BucketReading => ({
  ts: at(iso),
  consumption: null,
  consumptionFlags: 0,
  estimated: null,
  mean,
  twMean: mean,
  count,
  sum: mean * count,
  min: mean - 1,
  max: mean + 1,
  first: mean,
  last: mean,
});

describe('LiveSeries, raw', () => {
  const t0 = at('2025-07-01T10:00:00+08:00');

  it('appends live readings after the history and replaces a re-delivered one', () => {
    const series = new LiveSeries('raw', 60 * MIN, ZONE);
    series.loadRaw(
      [
        { ts: t0, value: 1 },
        { ts: t0 + MIN, value: 2 },
      ],
      t0 + MIN + 1,
    );
    expect(series.push(t0 + 2 * MIN, 3)).toBe(true);
    expect(series.push(t0 + 2 * MIN, 3.5)).toBe(true);
    expect(series.rows().map((row) => row.value)).toEqual([1, 2, 3.5]);
  });

  it('skips live readings that the loaded history already holds, and non-numbers', () => {
    const series = new LiveSeries('raw', 60 * MIN, ZONE);
    series.loadRaw([{ ts: t0, value: 1 }], t0 + MIN);
    expect(series.push(t0 + 30_000, 9)).toBe(false);
    expect(series.push(t0 + 2 * MIN, Number.NaN)).toBe(false);
    expect(series.length).toBe(1);
  });

  it('puts a late reading in its place', () => {
    const series = new LiveSeries('raw', 60 * MIN, ZONE);
    series.push(t0 + 2 * MIN, 3);
    series.push(t0, 1);
    series.push(t0 + MIN, 2);
    expect(series.rows().map((row) => row.ts)).toEqual([t0, t0 + MIN, t0 + 2 * MIN]);
  });

  it('drops what leaves the window', () => {
    const series = new LiveSeries('raw', 10 * MIN, ZONE);
    for (let i = 0; i <= 20; i++) series.push(t0 + i * MIN, i);
    series.trim(t0 + 20 * MIN);
    expect(series.rows()[0]).toMatchObject({ ts: t0 + 10 * MIN, value: 10 });
    expect(series.last()).toMatchObject({ ts: t0 + 20 * MIN, value: 20 });
  });
});

describe('LiveSeries, bucketed', () => {
  it("folds live readings into the server's running bucket, and opens the next one", () => {
    const series = new LiveSeries('15m', 6 * 60 * MIN, ZONE);
    series.loadBuckets(
      [bucket('2025-07-01T10:00:00+08:00', 400, 10), bucket('2025-07-01T10:15:00+08:00', 410, 4)],
      at('2025-07-01T10:19:00+08:00'),
    );
    series.push(at('2025-07-01T10:19:30+08:00'), 460);
    expect(series.last()).toEqual({ ts: at('2025-07-01T10:15:00+08:00'), value: 420, min: 409, max: 460, count: 5 });
    series.push(at('2025-07-01T10:30:05+08:00'), 500);
    expect(series.last()).toEqual({ ts: at('2025-07-01T10:30:00+08:00'), value: 500, min: 500, max: 500, count: 1 });
    expect(series.length).toBe(3);
  });

  it("aligns daily buckets to the site's day, 23 hours long in New York in spring", () => {
    const series = new LiveSeries('1d', 90 * 24 * 60 * MIN, 'America/New_York');
    series.push(at('2025-03-09T23:59:00-04:00'), 1);
    series.push(at('2025-03-10T00:01:00-04:00'), 3);
    expect(series.rows().map((row) => row.ts)).toEqual([at('2025-03-09T00:00:00-05:00'), at('2025-03-10T00:00:00-04:00')]);
  });

  it('aligns daily buckets to the Taipei day for a site in Taipei', () => {
    const series = new LiveSeries('1d', 90 * 24 * 60 * MIN, ZONE);
    series.push(at('2025-07-01T23:59:00+08:00'), 1);
    series.push(at('2025-07-02T00:01:00+08:00'), 3);
    expect(series.rows().map((row) => row.ts)).toEqual([at('2025-07-01T00:00:00+08:00'), at('2025-07-02T00:00:00+08:00')]);
  });

  it('keeps a bucket that still overlaps the window', () => {
    const series = new LiveSeries('1h', 2 * 60 * MIN, ZONE);
    series.push(at('2025-07-01T08:30:00+08:00'), 1);
    series.push(at('2025-07-01T09:30:00+08:00'), 2);
    series.trim(at('2025-07-01T10:59:00+08:00'));
    expect(series.rows().map((row) => row.value)).toEqual([1, 2]);
    series.trim(at('2025-07-01T11:01:00+08:00'));
    expect(series.rows().map((row) => row.value)).toEqual([2]);
  });
});

describe('sumBuckets', () => {
  it('sums the means at each bucket of the series that have it', () => {
    const summed = sumBuckets([
      [bucket('2025-07-01T10:00:00+08:00', 400, 60), bucket('2025-07-01T10:15:00+08:00', 410, 20)],
      [bucket('2025-07-01T10:15:00+08:00', 300, 30), { ...bucket('2025-07-01T10:30:00+08:00', 0, 0) }],
    ]);
    expect(summed.map((row) => [row.ts, row.mean, row.count])).toEqual([
      [at('2025-07-01T10:00:00+08:00'), 400, 60],
      [at('2025-07-01T10:15:00+08:00'), 710, 30],
    ]);
    expect(summed[1].sum).toBe(710 * 30);
  });
});
