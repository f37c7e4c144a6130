import { bucketStart } from './buckets';

describe('bucketStart', () => {
  it.each([
    ['2025-07-01T10:07:59+08:00', '15m', 'Asia/Taipei', '2025-07-01T10:00:00+08:00'],
    ['2025-07-01T10:15:00+08:00', '15m', 'Asia/Taipei', '2025-07-01T10:15:00+08:00'],
    ['2025-07-01T10:59:59.999+08:00', '1h', 'Asia/Taipei', '2025-07-01T10:00:00+08:00'],
    ['2025-07-01T07:59:00+08:00', '1d', 'Asia/Taipei', '2025-07-01T00:00:00+08:00'],
    ['2025-06-30T23:59:00Z', '1d', 'Asia/Taipei', '2025-07-01T00:00:00+08:00'],
    ['2025-06-30T15:59:00Z', '1d', 'Asia/Taipei', '2025-06-30T00:00:00+08:00'],
    // Kolkata is +05:30: its hours start on the UTC half hour, its quarter hours on UTC quarter hours.
    ['2025-07-01T10:07:00+05:30', '15m', 'Asia/Kolkata', '2025-07-01T10:00:00+05:30'],
    ['2025-07-01T10:59:00+05:30', '1h', 'Asia/Kolkata', '2025-07-01T10:00:00+05:30'],
    ['2025-07-01T00:10:00+05:30', '1d', 'Asia/Kolkata', '2025-07-01T00:00:00+05:30'],
    // New York's spring-forward day is 23 hours: it starts at 00:00 EST.
    ['2025-03-09T12:00:00-04:00', '1d', 'America/New_York', '2025-03-09T00:00:00-05:00'],
    ['2025-11-02T23:30:00-05:00', '1d', 'America/New_York', '2025-11-02T00:00:00-04:00'],
    ['2025-11-02T01:30:00-05:00', '1h', 'America/New_York', '2025-11-02T01:00:00-05:00'],
    ['2025-07-01T23:59:00Z', '1d', 'UTC', '2025-07-01T00:00:00Z'],
  ] as const)('%s in %s (%s) starts at %s', (ts, bucket, zone, start) => {
    expect(bucketStart(Date.parse(ts), bucket, zone)).toBe(Date.parse(start));
  });
});
