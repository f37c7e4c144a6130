import { connectionView } from './connection-view';
import { LiveStore } from './live-store';

describe('connectionView', () => {
  const start = 1_000_000;
  const live = { status: 'live' as const, since: start - 5000 };
  const hall = (intervals: Array<[string, number]> = []) => new LiveStore('hall', () => undefined, new Map(intervals));
  const reading = (point: string, ts: number) => ({ site: 'hall', asset: 'main', point, ts, value: 1 });

  it('turns stale just past twice the registry interval after the newest timestamp', () => {
    const store = hall([['main/kW', 5000]]);
    store.apply([reading('kW', start)]);
    // A fake clock: the decision at chosen instants, no waiting.
    expect(connectionView(live, store.pointClocks(), start + 10_000)).toEqual({ kind: 'live', ageMs: 10_000 });
    expect(connectionView(live, store.pointClocks(), start + 10_001)).toEqual({ kind: 'stale', ageMs: 10_001 });
  });

  it('uses the cadence seen on the stream for a point the registry gives no interval, at least 5 s', () => {
    const store = hall();
    store.apply([reading('kW', start - 8000), reading('kW', start)]);
    expect(connectionView(live, store.pointClocks(), start + 16_000).kind).toBe('live');
    expect(connectionView(live, store.pointClocks(), start + 16_001).kind).toBe('stale');
    // Two readings 300 ms apart are a burst, not a 300 ms meter: 5 s, stale after 10 s.
    const bursty = hall();
    bursty.apply([reading('kW', start - 300), reading('kW', start)]);
    expect(connectionView(live, bursty.pointClocks(), start + 10_000).kind).toBe('live');
    expect(connectionView(live, bursty.pointClocks(), start + 10_001).kind).toBe('stale');
  });

  it('takes the newest timestamp per point, not the last reading received (a back-fill arriving late is old data)', () => {
    const store = hall([['main/kW', 5000]]);
    store.apply([reading('kW', start)]);
    store.apply([reading('kW', start - 272 * 86_400_000)]);
    expect(connectionView(live, store.pointClocks(), start + 3000)).toEqual({ kind: 'live', ageMs: 3000 });
    // ... and back-filled readings arriving now do not keep a silent stream live.
    store.apply([reading('kW', start - 60_000)]);
    expect(connectionView(live, store.pointClocks(), start + 10_001).kind).toBe('stale');
  });

  it('is stale when half of the points are overdue, not when one dead meter among many is', () => {
    const store = hall([
      ['main/kW', 1000],
      ['main/kWh', 1000],
      ['main/pf', 1000],
    ]);
    store.apply([reading('kW', start), reading('kWh', start), reading('pf', start - 10_000)]);
    expect(connectionView(live, store.pointClocks(), start + 1000).kind).toBe('live');
    expect(connectionView(live, store.pointClocks(), start + 2001).kind).toBe('stale');
  });

  it('waits a while for a first value before calling it stale', () => {
    expect(connectionView(live, [], start)).toEqual({ kind: 'live', ageMs: null });
    expect(connectionView({ status: 'live', since: start - 60_001 }, [], start)).toEqual({ kind: 'stale', ageMs: null });
  });

  it('shows the socket state while not subscribed, with the age of what it had', () => {
    expect(connectionView({ status: 'reconnecting', since: start }, [{ newestTs: start - 8000, intervalMs: 1000 }], start)).toEqual({
      kind: 'reconnecting',
      ageMs: 8000,
    });
    expect(connectionView({ status: 'connecting', since: start }, [], start).kind).toBe('connecting');
  });

  it('never shows a negative age for a device clock ahead of this one', () => {
    expect(connectionView(live, [{ newestTs: start + 2000, intervalMs: 1000 }], start).ageMs).toBe(0);
  });
});
