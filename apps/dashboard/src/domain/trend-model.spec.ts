import type { LiveReading } from '@hallwatch/domain';
import type { BucketReading } from '../api/api-types';
import type { LatestValue } from '../live/live-store';
import { TrendModel, withGaps } from './trend-model';

const at = (iso: string) => Date.parse(iso);
const HOUR = 3_600_000;
const bucket = (iso: string, mean: number, count = 60): BucketReading => ({
  ts: at(iso),
  consumption: null,
  consumptionFlags: 0,
  estimated: null,
  mean,
  twMean: mean,
  count,
  sum: mean * count,
  min: mean,
  max: mean,
  first: mean,
  last: mean,
});
const reading = (asset: string, point: string, iso: string, value: number): LiveReading => ({
  site: 's',
  asset,
  point,
  ts: at(iso),
  value,
});

describe('TrendModel', () => {
  it('holds live readings that arrive while history loads, and folds them in after', () => {
    const model = new TrendModel({
      bucket: '15m',
      spanMs: 6 * HOUR,
      zone: 'Asia/Taipei',
      lines: [{ label: 'kW', color: '#fff', refs: [{ asset: 'main', point: 'kW' }], tailLabel: 'live' }],
    });
    const latest = () => undefined;
    expect(model.applyLive([reading('main', 'kW', '2025-07-01T10:19:00+08:00', 999)], latest)).toBe(false);
    expect(model.applyLive([reading('main', 'kW', '2025-07-01T10:20:10+08:00', 500)], latest)).toBe(false);
    model.load([{ bucket: '15m', rows: [bucket('2025-07-01T10:15:00+08:00', 400, 4)] }], at('2025-07-01T10:20:00+08:00'));

    // 10:19 was in the loaded rollup already; 10:20:10 was not. The raw tail shows both.
    expect(model.rows(0)).toEqual([{ ts: at('2025-07-01T10:15:00+08:00'), value: 420, min: 400, max: 500, count: 5 }]);
    expect(model.latest(0)).toMatchObject({ value: 500 });
    expect(model.series()).toEqual([
      { label: 'kW', color: '#fff', tail: false },
      { label: 'live', color: '#fff', tail: true },
    ]);
    expect(
      model.applyLive(
        [reading('main', 'kW', '2025-07-01T10:20:20+08:00', 520), reading('other', 'kW', '2025-07-01T10:20:20+08:00', 1)],
        latest,
      ),
    ).toBe(true);
    const [xs, history, tail] = model.columns();
    expect(xs).toEqual(['10:15:00', '10:19:00', '10:20:10', '10:20:20'].map((time) => at(`2025-07-01T${time}+08:00`) / 1000));
    expect(history).toEqual([(1600 + 500 + 520) / 6, undefined, undefined, undefined]);
    expect(tail).toEqual([undefined, 999, 500, 520]);
  });

  it('charts a sum of points from the newest value of each', () => {
    const refs = [
      { asset: 'chiller-1', point: 'kW' },
      { asset: 'chiller-2', point: 'kW' },
    ];
    const model = new TrendModel({
      bucket: '15m',
      spanMs: 6 * HOUR,
      zone: 'Asia/Taipei',
      lines: [{ label: 'plant', color: '#fff', refs }],
    });
    model.load([{ bucket: '15m', rows: [] }], at('2025-07-01T10:00:00+08:00'));
    const values = new Map<string, LatestValue>([
      ['chiller-1', { ts: at('2025-07-01T10:01:00+08:00'), value: 400 }],
      ['chiller-2', { ts: at('2025-07-01T10:00:30+08:00'), value: 300 }],
    ]);
    const changed = model.applyLive([reading('chiller-1', 'kW', '2025-07-01T10:01:00+08:00', 400)], (asset) => values.get(asset));
    expect(changed).toBe(true);
    expect(model.rows(0)).toEqual([{ ts: at('2025-07-01T10:00:00+08:00'), value: 700, min: 700, max: 700, count: 1 }]);
    expect(model.applyLive([reading('zone', 'temp', '2025-07-01T10:02:00+08:00', 26)], (asset) => values.get(asset))).toBe(false);
  });

  it('tells subscribers when it loads', () => {
    const model = new TrendModel({ bucket: 'raw', spanMs: HOUR, zone: 'Asia/Taipei', lines: [] });
    const heard = jest.fn();
    const stop = model.subscribe(heard);
    model.load([], 0);
    stop();
    model.load([], 0);
    expect(heard).toHaveBeenCalledTimes(1);
    expect(model.isEmpty).toBe(true);
  });
});

describe('TrendModel gaps', () => {
  it('breaks a 15-minute line across a six-week hole, and a bucket without readings is missing, not 0', () => {
    const model = new TrendModel({
      bucket: '15m',
      spanMs: 60 * 24 * HOUR,
      zone: 'Asia/Taipei',
      lines: [{ label: 'kW', color: '#fff', refs: [{ asset: 'main', point: 'kW' }] }],
    });
    model.load(
      [
        {
          bucket: '15m',
          rows: [
            bucket('2025-05-01T10:00:00+08:00', 400),
            bucket('2025-05-01T10:15:00+08:00', 410),
            // A rollup row of a held value with no reading in it: no data.
            bucket('2025-05-01T10:30:00+08:00', 0, 0),
            bucket('2025-06-12T10:00:00+08:00', 420),
            bucket('2025-06-12T10:15:00+08:00', 430),
          ],
        },
      ],
      at('2025-06-12T10:30:00+08:00'),
    );
    expect(model.gapCount(0)).toBe(1);
    const [, ys] = model.columns();
    expect(ys).toEqual([400, 410, null, 420, 430]);
  });
});

describe('withGaps', () => {
  it('breaks the line where points are further apart than the gap', () => {
    const row = (ts: number, value: number) => ({ ts, value, min: value, max: value, count: 1 });
    expect(withGaps([row(0, 1), row(1000, 2), row(10_000, 3)], 5000)).toEqual({ xs: [0, 1000, 1001, 10_000], ys: [1, 2, null, 3] });
    expect(withGaps([], 5000)).toEqual({ xs: [], ys: [] });
  });
});
