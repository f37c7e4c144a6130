import { connectionView } from './connection-view';

describe('connectionView', () => {
  const now = 1_000_000;
  const live = { status: 'live' as const, since: now - 5000 };

  it('is live while values keep coming', () => {
    expect(connectionView(live, now - 3000, now)).toEqual({ kind: 'live', ageMs: 3000 });
  });

  it('is stale when connected but the newest value is too old', () => {
    expect(connectionView(live, now - 61_000, now)).toEqual({ kind: 'stale', ageMs: 61_000 });
  });

  it('waits a while for a first value before calling it stale', () => {
    expect(connectionView(live, null, now)).toEqual({ kind: 'live', ageMs: null });
    expect(connectionView({ status: 'live', since: now - 120_000 }, null, now)).toEqual({ kind: 'stale', ageMs: null });
  });

  it('shows the socket state while not subscribed, with the age of what it had', () => {
    expect(connectionView({ status: 'reconnecting', since: now }, now - 8000, now)).toEqual({ kind: 'reconnecting', ageMs: 8000 });
    expect(connectionView({ status: 'connecting', since: now }, null, now).kind).toBe('connecting');
  });

  it('never shows a negative age for a device clock ahead of this one', () => {
    expect(connectionView(live, now + 2000, now).ageMs).toBe(0);
  });
});
