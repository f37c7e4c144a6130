import { formatChineseNumber, formatGroupedNumber } from './chinese-number';

describe('formatChineseNumber', () => {
  // Each expectation written out by hand from the council's usage (#17 item 10).
  it.each([
    [12_531_673, '1,253萬1,673'],
    [12_572_309, '1,257萬2,309'],
    [40_636, '4萬636'],
    [636, '636'],
    [0, '0'],
    // 1 億, no 萬 group, 20: the skipped group is read as 零.
    [100_000_020, '1億零20'],
    // 1億3,000萬20 as the council writes it: the units group is 0020, not skipped, so no 零.
    [130_000_020, '1億3,000萬20'],
    // 1 億, 0 萬, 5 units... and 1 兆, no 億, 5 萬: one 零 per run of skipped groups.
    [1_000_000_050_000, '1兆零5萬'],
    [100_000_000_000_000, '100兆'],
    [123_456_789_012, '1,234億5,678萬9,012'],
    // above 9,999 億: 兆
    [1_234_567_890_123, '1兆2,345億6,789萬123'],
    [50_000, '5萬'],
    [-40_636, '-4萬636'],
    [9_999.6, '1萬'],
  ])('%d -> %s', (value, expected) => {
    expect(formatChineseNumber(value)).toBe(expected);
  });

  it.each([
    [12_531_673, '1,253 萬 1,673'],
    [100_000_020, '1 億 零20'],
    [1_234_567_890_123, '1 兆 2,345 億 6,789 萬 123'],
  ])('spaced: %d -> %s', (value, expected) => {
    expect(formatChineseNumber(value, 'spaced')).toBe(expected);
  });
});

describe('formatGroupedNumber', () => {
  it('groups by thousands', () => {
    expect(formatGroupedNumber(12_531_673)).toBe('12,531,673');
    expect(formatGroupedNumber(0.324, 2)).toBe('0.32');
  });
});
