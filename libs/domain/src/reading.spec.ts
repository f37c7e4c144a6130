import { liveReading, ReadingFlags } from './reading';

const at = { site: 'hall', asset: 'main-incomer', point: 'kW' };

describe('liveReading', () => {
  it.each([
    ['good', ReadingFlags.none, undefined],
    ['received-time stamped', ReadingFlags.receiveTime, undefined],
    ['corrected', ReadingFlags.corrected, undefined],
    ['uncertain', ReadingFlags.uncertain, 'uncertain'],
    ['uncertain and derived', ReadingFlags.uncertain | ReadingFlags.derived, 'uncertain'],
  ])('a %s reading carries quality %s', (_name, flags, quality) => {
    const live = liveReading(at, { ts: 1_000, value: 412.5, flags });
    expect(live).toEqual({ ...at, ts: 1_000, value: 412.5, ...(quality ? { quality } : {}) });
    // absent, not undefined: a good reading adds nothing to the wire
    expect('quality' in live).toBe(quality !== undefined);
  });

  it('keeps only the keys of a richer address', () => {
    expect(liveReading({ ...at, pointId: 7, kind: 'gauge' } as typeof at, { ts: 5, value: 1, flags: 0 })).toEqual({
      ...at,
      ts: 5,
      value: 1,
    });
  });
});
