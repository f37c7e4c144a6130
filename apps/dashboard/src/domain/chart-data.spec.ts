import { alignColumns } from './chart-data';

describe('alignColumns', () => {
  it('passes one line through, x in seconds', () => {
    expect(alignColumns([{ xs: [1000, 2000], ys: [1, null] }])).toEqual([
      [1, 2],
      [1, null],
    ]);
  });

  it('joins lines on the union of their times; only real gaps are null', () => {
    const [xs, a, b] = alignColumns([
      { xs: [1000, 3000, 5000], ys: [1, null, 5] },
      { xs: [2000, 3000], ys: [20, 30] },
    ]);
    expect(xs).toEqual([1, 2, 3, 5]);
    expect(a).toEqual([1, undefined, null, 5]);
    expect(b).toEqual([undefined, 20, 30, undefined]);
  });

  it('handles no lines and empty lines', () => {
    expect(alignColumns([])).toEqual([[]]);
    expect(
      alignColumns([
        { xs: [], ys: [] },
        { xs: [], ys: [] },
      ]),
    ).toEqual([[], [], []]);
  });
});
