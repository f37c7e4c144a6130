import { parseHisRange } from './his-range';

const iso = (range: { from: number; to: number }) => [new Date(range.from).toISOString(), new Date(range.to).toISOString()];
/** 2025-03-09 01:30 in Taipei (UTC+8) is 2025-03-08 17:30 UTC. */
const NOW = Date.parse('2025-03-08T17:30:00Z');

describe('hisRead ranges (docHaystack/Ops#hisRead)', () => {
  it.each([
    ['today', 'Asia/Taipei', ['2025-03-08T16:00:00.000Z', '2025-03-09T16:00:00.000Z']],
    ['yesterday', 'Asia/Taipei', ['2025-03-07T16:00:00.000Z', '2025-03-08T16:00:00.000Z']],
    // The same instant is still the 8th in New York (UTC-5); the 9th has 23 hours (UTC-4 from 02:00).
    ['today', 'America/New_York', ['2025-03-08T05:00:00.000Z', '2025-03-09T05:00:00.000Z']],
    ['2025-03-09', 'America/New_York', ['2025-03-09T05:00:00.000Z', '2025-03-10T04:00:00.000Z']],
    ['2025-03-01,2025-03-02', 'Asia/Taipei', ['2025-02-28T16:00:00.000Z', '2025-03-02T16:00:00.000Z']],
    [
      '2025-03-09T08:10:00+08:00 Taipei,2025-03-09T08:30:00+08:00 Taipei',
      'Asia/Taipei',
      ['2025-03-09T00:10:00.000Z', '2025-03-09T00:30:00.000Z'],
    ],
    ['2025-03-08T12:00:00Z UTC', 'Asia/Taipei', ['2025-03-08T12:00:00.000Z', '2025-03-08T17:30:00.000Z']],
  ])('%s in %s', (text, zone, expected) => {
    expect(iso(parseHisRange(text, zone, NOW))).toEqual(expected);
  });

  it.each([
    ['', 'not a date'],
    ['tomorrow', 'not a date'],
    ['2025-02-29', 'not a date'],
    ['2025-03-09,2025-03-01', 'ends before it starts'],
    ['1900-01-01,9999-12-30', 'longer than 3660 days'],
    ['0001-01-01', 'outside the years 1900-9999'],
    ['2025-03-09T08:00:00', 'not a date'],
    ['2025-03-09T08:00:00+08:00 Taipei,2025-03-09', 'not a date'],
    ['a,b,c', 'at most two parts'],
    ['\u0000', 'not a date'],
  ])('refuses %j', (text, reason) => {
    expect(() => parseHisRange(text, 'Asia/Taipei', NOW)).toThrow(reason);
  });
});
