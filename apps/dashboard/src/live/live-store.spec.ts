import type { LiveReading } from '@hallwatch/domain';
import { LiveStore } from './live-store';

const reading = (point: string, ts: number, value: number, site = 'hall'): LiveReading => ({ site, asset: 'main', point, ts, value });

describe('LiveStore', () => {
  let frames: Array<() => void>;
  let store: LiveStore;
  const runFrame = () => frames.splice(0).forEach((run) => run());

  beforeEach(() => {
    frames = [];
    store = new LiveStore('hall', (run) => frames.push(run));
  });

  it('keeps the newest value of each point and notifies once per frame', () => {
    const listener = jest.fn();
    store.subscribe(listener);
    store.apply([reading('kW', 1000, 400), reading('kWh', 1000, 5000)]);
    store.apply([reading('kW', 2000, 410), reading('kW', 1500, 999)]);
    expect(listener).not.toHaveBeenCalled();
    runFrame();
    expect(listener).toHaveBeenCalledTimes(1);
    expect(listener.mock.calls[0][0]).toHaveLength(4);
    expect(store.get('main', 'kW')).toEqual({ ts: 2000, value: 410 });
    expect(store.value('main', 'kWh')).toBe(5000);
    expect(store.value(undefined, 'kW')).toBeNull();
    expect(store.newestLiveTs).toBe(2000);
  });

  it('ignores readings of other sites and malformed ones', () => {
    store.apply([
      reading('kW', 1000, 400, 'elsewhere'),
      { ...reading('kW', Number.NaN, 1) },
      { ...reading('kW', 1000, 0), value: 'x' as unknown as number },
    ]);
    expect(store.get('main', 'kW')).toBeUndefined();
    expect(frames).toHaveLength(0);
  });

  it('takes a seed only when it is newer, and tells listeners without a live batch', () => {
    const listener = jest.fn();
    store.subscribe(listener);
    store.apply([reading('kW', 2000, 410)]);
    store.seed('main', 'kW', { ts: 1000, value: 1 });
    store.seed('main', 'co2', { ts: 1000, value: 650 });
    runFrame();
    expect(store.value('main', 'kW')).toBe(410);
    expect(store.value('main', 'co2')).toBe(650);
    expect(listener.mock.calls).toEqual([[[reading('kW', 2000, 410)]]]);
    // A seed is not a live value: the connection's age does not move.
    expect(store.newestLiveTs).toBe(2000);
  });

  it("tells whether a point's newest value is uncertain, live or seeded, until a good one replaces it", () => {
    store.apply([{ ...reading('kW', 1000, 400), quality: 'uncertain' }, reading('kWh', 1000, 5000)]);
    expect(store.uncertain('main', 'kW')).toBe(true);
    expect(store.get('main', 'kW')).toEqual({ ts: 1000, value: 400, quality: 'uncertain' });
    expect(store.uncertain('main', 'kWh')).toBe(false);
    expect(store.uncertain('main', 'co2')).toBe(false);
    expect(store.uncertain('main', null)).toBe(false);
    // an older uncertain value does not mark a newer good one
    store.apply([reading('kW', 2000, 410), { ...reading('kW', 1500, 405), quality: 'uncertain' }]);
    expect(store.uncertain('main', 'kW')).toBe(false);
    store.seed('main', 'co2', { ts: 1000, value: 650, quality: 'uncertain' });
    expect(store.uncertain('main', 'co2')).toBe(true);
    store.seed('main', 'co2', { ts: 2000, value: 640 });
    expect(store.get('main', 'co2')).toEqual({ ts: 2000, value: 640 });
  });

  it('stops notifying a listener that unsubscribed, and everyone once closed', () => {
    const listener = jest.fn();
    const stop = store.subscribe(listener);
    stop();
    store.apply([reading('kW', 1000, 1)]);
    runFrame();
    expect(listener).not.toHaveBeenCalled();
    const other = jest.fn();
    store.subscribe(other);
    store.close();
    store.apply([reading('kW', 2000, 2)]);
    runFrame();
    expect(other).not.toHaveBeenCalled();
  });
});
