import { invalidatedSpans, mergeSpans } from './rollup-invalidations';

const MIN = 60_000;

describe('invalidatedSpans', () => {
  it('gives one span per point for readings close together, in any order', () => {
    expect(
      invalidatedSpans([
        { pointId: 1, ts: 10 * MIN },
        { pointId: 2, ts: 0 },
        { pointId: 1, ts: 0 },
        { pointId: 1, ts: 5 * MIN },
      ]),
    ).toEqual([
      { pointId: 1, from: 0, to: 10 * MIN },
      { pointId: 2, from: 0, to: 0 },
    ]);
  });

  it('splits a point whose readings are more than an hour apart', () => {
    expect(
      invalidatedSpans([
        { pointId: 1, ts: 0 },
        { pointId: 1, ts: 60 * MIN },
        { pointId: 1, ts: 121 * MIN },
      ]),
    ).toEqual([
      { pointId: 1, from: 0, to: 60 * MIN },
      { pointId: 1, from: 121 * MIN, to: 121 * MIN },
    ]);
  });
});

describe('mergeSpans', () => {
  it('joins overlapping and touching spans of a point, never across points', () => {
    expect(
      mergeSpans([
        { pointId: 1, from: 50, to: 60 },
        { pointId: 1, from: 0, to: 10 },
        { pointId: 1, from: 10, to: 20 },
        { pointId: 2, from: 5, to: 55 },
        { pointId: 1, from: 15, to: 18 },
      ]),
    ).toEqual([
      { pointId: 1, from: 0, to: 20 },
      { pointId: 1, from: 50, to: 60 },
      { pointId: 2, from: 5, to: 55 },
    ]);
  });
});
