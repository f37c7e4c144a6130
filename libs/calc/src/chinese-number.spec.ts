import { formatChineseNumber, formatGroupedNumber } from './chinese-number';

describe('formatChineseNumber', () => {
  it.each([
    [12_531_673, '1,253 萬 1,673'],
    [12_572_309, '1,257 萬 2,309'],
    [40_636, '4 萬 636'],
    [636, '636'],
    [0, '0'],
    [100_000_020, '1 億 20'],
    [123_456_789_012, '1,234 億 5,678 萬 9,012'],
    [50_000, '5 萬'],
    [-40_636, '-4 萬 636'],
    [9_999.6, '1 萬'],
  ])('%d -> %s', (value, expected) => {
    expect(formatChineseNumber(value)).toBe(expected);
  });
});

describe('formatGroupedNumber', () => {
  it('groups by thousands', () => {
    expect(formatGroupedNumber(12_531_673)).toBe('12,531,673');
    expect(formatGroupedNumber(0.324, 2)).toBe('0.32');
  });
});
