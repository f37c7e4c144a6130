import { touchedBuckets } from './rollup-buckets';

const at = (iso: string) => Date.parse(iso);

describe('touchedBuckets', () => {
  it('lists each point and bucket once', () => {
    const readings = [
      { pointId: 1, ts: at('2025-07-01T10:01:00+08:00') },
      { pointId: 1, ts: at('2025-07-01T10:14:00+08:00') },
      { pointId: 2, ts: at('2025-07-01T10:14:00+08:00') },
      { pointId: 1, ts: at('2025-07-01T10:15:00+08:00') },
    ];
    expect(touchedBuckets(readings, '15m')).toEqual({
      pointIds: [1, 2, 1],
      starts: [at('2025-07-01T10:00:00+08:00'), at('2025-07-01T10:00:00+08:00'), at('2025-07-01T10:15:00+08:00')],
    });
    expect(touchedBuckets(readings, '1d')).toEqual({
      pointIds: [1, 2],
      starts: [at('2025-07-01T00:00:00+08:00'), at('2025-07-01T00:00:00+08:00')],
    });
  });
});
